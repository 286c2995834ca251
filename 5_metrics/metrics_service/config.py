"""Settings of the metrics service: the suite's (DATABASE_URL, ...) plus its own knobs, read
from the environment."""

from pydantic import Field

from metrics_service.domain.drift import DriftRule, RuleMethod
from metrics_service.domain.limits import MAX_DRIFT_VALUES
from stock_db.settings import SuiteSettings

DEFAULT_RULE = DriftRule()


class Settings(SuiteSettings):
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
    inference_window: str = Field(default="5m", pattern=r"^[1-9][0-9]{0,5}[smhdw]$")
    # drift_window x days in the range above this: /metrics/history answers 422.
    history_max_drift_values: int = Field(default=MAX_DRIFT_VALUES, ge=1)

    # The drift decision rule; its defaults are the domain's (DriftRule).
    drift_method: RuleMethod = DEFAULT_RULE.method
    drift_ks_p_threshold: float = Field(default=DEFAULT_RULE.ks_p_threshold, gt=0, lt=1)
    drift_wasserstein_threshold: float = Field(default=DEFAULT_RULE.wasserstein_threshold, gt=0)
    drift_psi_threshold: float = Field(default=DEFAULT_RULE.psi_threshold, gt=0)
    drift_auto_ks_max_reference_rows: int = Field(
        default=DEFAULT_RULE.auto_ks_max_reference_rows, ge=1
    )
    drift_psi_bins: int = Field(default=DEFAULT_RULE.psi_bins, ge=2, le=100)

    def drift_rule(self) -> DriftRule:
        return DriftRule(
            method=self.drift_method,
            ks_p_threshold=self.drift_ks_p_threshold,
            wasserstein_threshold=self.drift_wasserstein_threshold,
            psi_threshold=self.drift_psi_threshold,
            auto_ks_max_reference_rows=self.drift_auto_ks_max_reference_rows,
            psi_bins=self.drift_psi_bins,
        )
