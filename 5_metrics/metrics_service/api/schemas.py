"""Response schemas, built at the edge from the use cases' dataclasses (from_attributes).

Floats refuse NaN/inf at validation (allow_inf_nan=False): a value that cannot be computed is
None with a reason, and a NaN reaching here is a bug, not an answer."""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False, from_attributes=True)


class NaiveMetrics(Schema):
    mse: float | None = None
    rmse: float | None = None
    mae: float | None = None
    mape: float | None = Field(None, description="percent")


class OfflineMetrics(Schema):
    label: str = "offline walk-forward evaluation (models table), not live predictions"
    model_version: int
    horizon: int
    eval_start: str | None = None
    eval_end: str | None = None
    n_eval_days: int | None = None
    lstm: dict[str, float | None] | None = None
    naive: dict[str, float | None] | None = None
    coverage: float | None = None


class DateRange(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    n: int = 0


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
    mase: float | None = Field(None, description="MAE / naive MAE on the same days")
    naive: NaiveMetrics = NaiveMetrics()
    reason: str | None = Field(None, description="why the quality figures are null")
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
                    "mase": 1.03,
                    "naive": {"mse": 20.9, "rmse": 4.57, "mae": 3.41, "mape": 0.81},
                    "data_drift": {"signal": "daily log returns", "method": "wasserstein"},
                    "inference": {"avg_seconds": 0.0004, "p95_seconds": 0.0009},
                    "generated_at": "2024-11-21T09:00:00Z",
                }
            ]
        }
    )


class DailyQuality(Schema):
    date: dt.date
    as_of: dt.date
    predicted: float
    actual: float
    naive: float
    abs_error: float
    naive_abs_error: float
    rolling_mae: float | None = None
    rolling_rmse: float | None = None
    rolling_naive_mae: float | None = None
    rolling_mase: float | None = None
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
    quality: list[DailyQuality] = []
    drift: list[DailyDrift] = []
    reason: str | None = None
