"""Response schemas, built at the edge from the use cases' dataclasses (from_attributes).

Floats refuse NaN/inf at validation (allow_inf_nan=False): a value that cannot be computed is
None with a reason, and a NaN reaching here is a bug, not an answer."""

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False, from_attributes=True)


class ErrorDetail(Schema):
    """404 and 503 answers."""

    detail: str


class BaselineMetrics(Schema):
    """Errors of a baseline forecast scored on the same days as the model."""

    mse: float | None = None
    rmse: float | None = None
    mae: float | None = None
    mape: float | None = Field(None, description="percent")


NaiveMetrics = BaselineMetrics  # the name it had before the drift forecast stood beside it


class OfflineMetrics(Schema):
    label: str = "offline walk-forward evaluation (models table), not live predictions"
    model_version: int
    horizon: int
    eval_start: str | None = None
    eval_end: str | None = None
    n_eval_days: int | None = None
    lstm: dict[str, float | None] | None = None
    naive: dict[str, float | None] | None = None
    drift: dict[str, float | None] | None = Field(
        None, description="the drift forecast (last close x mean training return), same days"
    )
    coverage: float | None = None
    band: dict[str, Any] | None = Field(
        None, description="band coverage, mean width and Winkler score, beside the naive band"
    )


class DateRange(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    n: int = 0


class WindowFigure(Schema):
    """A figure computed on the champion's training window, with that window (start and end:
    the first and last day of the one-step changes used; n: how many)."""

    value: float | None = None
    window: DateRange = DateRange()
    reason: str | None = Field(None, description="why value is null")


class DistributionDrift(Schema):
    signal: str
    method: str | None = None
    statistic: float | None = None
    p_value: float | None = Field(None, description="two-sample Kolmogorov-Smirnov p-value")
    ks_statistic: float | None = None
    psi: float | None = None
    wasserstein: float | None = Field(None, description="Wasserstein / reference std")
    threshold: float | None = None
    drift_detected: bool | None = None
    reference: DateRange = DateRange()
    current: DateRange = DateRange()
    reason: str | None = None


class DataDrift(DistributionDrift):
    rule: str
    thresholds: dict[str, float]
    volume: DistributionDrift | None = None


class Inference(Schema):
    avg_seconds: float | None = None
    p95_seconds: float | None = None
    source: str | None = Field(None, description='"prometheus" | "estimator-exposition" | null')
    window: str | None = None
    requests: float | None = None
    reason: str | None = None
    note: str | None = None


class MetricsReport(Schema):
    ticker: str
    horizon: int
    window: int = Field(description="trading days of matured predictions considered")
    model_version: int | None = None
    n: int = 0
    start: dt.date | None = Field(None, description="first target date in the window")
    end: dt.date | None = Field(None, description="last target date in the window")
    mse: float | None = None
    rmse: float | None = None
    mae: float | None = None
    mape: float | None = Field(None, description="percent")
    rel_mae: float | None = Field(None, description="MAE / naive MAE on the same days")
    mase: float | None = Field(
        None,
        description="Hyndman's MASE: MAE / the in-sample one-step naive MAE of the champion's "
        "training window (mase_scale)",
    )
    mase_scale: WindowFigure = Field(
        WindowFigure(), description="MASE's scale: mean |close(t) - close(t-1)| over the window"
    )
    naive: BaselineMetrics = Field(
        BaselineMetrics(), description="naive forecast: the close at as_of"
    )
    drift: BaselineMetrics = Field(
        BaselineMetrics(),
        description="drift forecast: the close at as_of x exp(horizon x drift_rate), same days",
    )
    drift_rate: WindowFigure = Field(
        WindowFigure(),
        description="the drift forecast's rate: mean daily log return of the training window",
    )
    n_in_sample: int = Field(
        0, description="matured forecasts made inside the training window, not counted in n"
    )
    n_invalid: int = Field(0, description="forecasts skipped for a non-finite value")
    reason: str | None = Field(
        None, description="why the quality figures are null, and what was left out"
    )
    offline: OfflineMetrics | None = None
    data_drift: DataDrift
    inference: Inference
    generated_at: dt.datetime

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ticker": "MSFT",
                    "horizon": 1,
                    "window": 60,
                    "model_version": 3,
                    "n": 60,
                    "mse": 21.7,
                    "rmse": 4.66,
                    "mae": 3.52,
                    "mape": 0.84,
                    "rel_mae": 1.03,
                    "mase": 1.21,
                    "mase_scale": {
                        "value": 2.91,
                        "window": {"start": "2015-01-05", "end": "2024-06-28", "n": 2390},
                    },
                    "naive": {"mse": 20.9, "rmse": 4.57, "mae": 3.41, "mape": 0.81},
                    "drift": {"mse": 21.1, "rmse": 4.59, "mae": 3.43, "mape": 0.82},
                    "drift_rate": {
                        "value": 0.00093,
                        "window": {"start": "2015-01-05", "end": "2024-06-28", "n": 2390},
                    },
                    "n_in_sample": 0,
                    "n_invalid": 0,
                    "data_drift": {"signal": "daily log returns", "method": "wasserstein"},
                    "inference": {"avg_seconds": 0.0004, "p95_seconds": 0.0009},
                    "generated_at": "2024-11-21T09:00:00Z",
                }
            ]
        }
    )


class DailyQuality(Schema):
    date: dt.date = Field(description="target date")
    as_of: dt.date
    predicted: float = Field(
        description="the model's forecast in today's price basis (the one scored): "
        "predicted_logged / as_of_close x the as_of close now, when as_of_close was logged"
    )
    predicted_logged: float = Field(description="the forecast as stored in predictions")
    actual: float
    naive: float = Field(description="naive forecast: the close at as_of")
    drift_forecast: float | None = Field(
        None, description="naive x exp(horizon x drift_rate); null without a champion"
    )
    abs_error: float
    naive_abs_error: float
    drift_forecast_abs_error: float | None = None
    rolling_mae: float | None = None
    rolling_rmse: float | None = None
    rolling_naive_mae: float | None = None
    rolling_drift_forecast_mae: float | None = None
    rolling_rel_mae: float | None = Field(None, description="rolling_mae / rolling_naive_mae")
    rolling_mase: float | None = Field(None, description="rolling_mae / mase_scale")
    rolling_n: int


class DailyDrift(Schema):
    date: dt.date
    method: str | None = None
    statistic: float | None = None
    p_value: float | None = None
    psi: float | None = None
    wasserstein: float | None = None
    threshold: float | None = None
    drift_detected: bool | None = None
    volume_drift_detected: bool | None = None
    current_n: int = Field(description="returns in the current window ending that day")


class HistoryReport(Schema):
    ticker: str
    horizon: int
    model_version: int | None = None
    start_date: dt.date
    end_date: dt.date
    rolling_window: int
    drift_window: int
    drift_reference: DateRange | None = None
    drift_rule: str
    mase_scale: WindowFigure = WindowFigure()
    drift_rate: WindowFigure = WindowFigure()
    n_in_sample: int = Field(
        0, description="matured target dates in the range forecast inside the training window"
    )
    n_invalid: int = Field(0, description="target dates skipped for a non-finite value")
    quality: list[DailyQuality] = []
    drift: list[DailyDrift] = Field([], description="data drift per trading day")
    reason: str | None = None
