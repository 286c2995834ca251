"""GET /metrics and GET /metrics/history: query parameters in, use case, schema out."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from metrics_service.api.deps import ConnectionDep, SettingsDep
from metrics_service.api.schemas import ErrorDetail, HistoryReport, MetricsReport
from metrics_service.domain.limits import MAX_DATE, MIN_DATE, bounded_date
from metrics_service.usecases.history import build_history_report
from metrics_service.usecases.report import build_metrics_report
from stock_db.rules import Ticker

router = APIRouter(tags=["metrics"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorDetail, "description": "No prices loaded for the ticker"},
    503: {"model": ErrorDetail, "description": "The database is unavailable"},
}


def _bounded(field: str) -> BeforeValidator:
    return BeforeValidator(lambda value: None if value is None else bounded_date(value, field))


BOUNDS = f"YYYY-MM-DD between {MIN_DATE} and {MAX_DATE}"
StartDateQuery = Annotated[
    dt.date | None,
    _bounded("start_date"),
    Query(description=f"default: end_date - 180 days; {BOUNDS}"),
]
EndDateQuery = Annotated[
    dt.date | None, _bounded("end_date"), Query(description=f"default: last price date; {BOUNDS}")
]

TickerQuery = Annotated[
    Ticker, Query(description="symbol with prices loaded (case-insensitive)", examples=["MSFT"])
]
HorizonQuery = Annotated[int, Query(ge=1, le=60, description="forecast step (trading days)")]
DriftWindowQuery = Annotated[
    int | None,
    Query(ge=5, le=5000, description="recent trading days compared (default DRIFT_WINDOW_DAYS)"),
]


@router.get("/metrics", response_model=MetricsReport, responses=RESPONSES)
def metrics(
    connection: ConnectionDep,
    settings: SettingsDep,
    ticker: TickerQuery,
    horizon: HorizonQuery = 1,
    window: Annotated[
        int | None,
        Query(ge=1, le=5000, description="trading days of matured predictions (default 60)"),
    ] = None,
    drift_window: DriftWindowQuery = None,
    inference_window: Annotated[
        str | None,
        Query(
            pattern=r"^[1-9][0-9]{0,5}[smhdw]$",
            description="PromQL range, e.g. 5m (1-6 digits, then s, m, h, d or w)",
            examples=["5m"],
        ),
    ] = None,
) -> MetricsReport:
    """Live quality vs actuals (beside the naive forecast), the champion's offline metrics,
    data drift of returns and volume, and inference latency, computed now."""
    report = build_metrics_report(
        connection,
        settings,
        ticker=ticker.upper(),
        horizon=horizon,
        window=window or settings.quality_window_days,
        drift_window=drift_window or settings.drift_window_days,
        inference_window=inference_window or settings.inference_window,
    )
    return MetricsReport.model_validate(report, from_attributes=True)


@router.get("/metrics/history", response_model=HistoryReport, responses=RESPONSES)
def metrics_history(
    connection: ConnectionDep,
    settings: SettingsDep,
    ticker: TickerQuery,
    horizon: HorizonQuery = 1,
    start_date: StartDateQuery = None,
    end_date: EndDateQuery = None,
    rolling_window: Annotated[
        int | None, Query(ge=1, le=500, description="matured days per rolling figure")
    ] = None,
    drift_window: DriftWindowQuery = None,
) -> HistoryReport:
    """Per-day quality (absolute errors of the model, the naive and the drift forecast;
    rolling MAE/RMSE/rel_mae/MASE) and per-day drift verdicts. At most 731 days, and
    drift_window x days in the range at most HISTORY_MAX_DRIFT_VALUES (422 otherwise)."""
    history = build_history_report(
        connection,
        settings.drift_rule(),
        ticker=ticker.upper(),
        horizon=horizon,
        start_date=start_date,
        end_date=end_date,
        rolling_window=rolling_window or settings.history_rolling_days,
        drift_window=drift_window or settings.drift_window_days,
        max_drift_values=settings.history_max_drift_values,
    )
    return HistoryReport.model_validate(history, from_attributes=True)
