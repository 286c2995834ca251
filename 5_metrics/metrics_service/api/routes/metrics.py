"""GET /metrics and GET /metrics/history: query parameters in, use case, schema out."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from metrics_service.api.deps import ConnectionDep, SettingsDep
from metrics_service.api.schemas import HistoryReport, MetricsReport
from metrics_service.usecases.history import build_history_report
from metrics_service.usecases.report import build_metrics_report

router = APIRouter(tags=["metrics"])

TickerQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=16,
        pattern=r"^[A-Za-z0-9.^=-]+$",
        description="symbol with prices loaded (case-insensitive)",
        examples=["MSFT"],
    ),
]
HorizonQuery = Annotated[int, Query(ge=1, le=60, description="forecast step (trading days)")]
DriftWindowQuery = Annotated[
    int | None,
    Query(ge=5, le=5000, description="recent trading days compared (default DRIFT_WINDOW_DAYS)"),
]


@router.get("/metrics", response_model=MetricsReport)
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
        Query(pattern=r"^\d+[smhdw]$", description="PromQL range, e.g. 5m", examples=["5m"]),
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


@router.get("/metrics/history", response_model=HistoryReport)
def metrics_history(
    connection: ConnectionDep,
    settings: SettingsDep,
    ticker: TickerQuery,
    horizon: HorizonQuery = 1,
    start_date: Annotated[dt.date | None, Query(description="default: end_date - 180 days")] = None,
    end_date: Annotated[dt.date | None, Query(description="default: last price date")] = None,
    rolling_window: Annotated[
        int | None, Query(ge=1, le=500, description="matured days per rolling figure")
    ] = None,
    drift_window: DriftWindowQuery = None,
) -> HistoryReport:
    """Per-day quality (absolute errors, rolling MAE/RMSE/MASE) and per-day drift verdicts."""
    history = build_history_report(
        connection,
        settings.drift_rule(),
        ticker=ticker.upper(),
        horizon=horizon,
        start_date=start_date,
        end_date=end_date,
        rolling_window=rolling_window or settings.history_rolling_days,
        drift_window=drift_window or settings.drift_window_days,
    )
    return HistoryReport.model_validate(history, from_attributes=True)
