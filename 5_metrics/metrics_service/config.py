"""Settings of the metrics service, read from the environment (names shared by the suite)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from stock_db.engine import DEFAULT_DATABASE_URL

DriftMethod = Literal["auto", "ks", "wasserstein", "psi"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # Empty string = not configured: latency then comes from the estimator's own exposition.
    prometheus_url: str = "http://127.0.0.1:9090"
    estimator_url: str = "http://127.0.0.1:8002"
    # Short: a slow Prometheus must not make the dashboard wait; the fallback answers instead.
    http_timeout_seconds: float = Field(default=1.0, gt=0)
    # How long start-up waits for the database before serving anyway (requests then get 503).
    database_wait_seconds: float = Field(default=30.0, ge=0)

    quality_window_days: int = Field(default=60, ge=1, le=5000)
    drift_window_days: int = Field(default=60, ge=5, le=5000)
    history_rolling_days: int = Field(default=20, ge=1, le=500)
    inference_window: str = Field(default="5m", pattern=r"^\d+[smhdw]$")

    # Decision rule for drift; defaults follow Evidently's for numerical columns.
    drift_method: DriftMethod = "ks"
    drift_ks_p_threshold: float = Field(default=0.05, gt=0, lt=1)
    drift_wasserstein_threshold: float = Field(default=0.1, gt=0)
    drift_psi_threshold: float = Field(default=0.2, gt=0)
    drift_auto_ks_max_reference_rows: int = Field(default=1000, ge=1)
    drift_psi_bins: int = Field(default=10, ge=2, le=100)


@lru_cache
def get_settings() -> Settings:
    return Settings()
