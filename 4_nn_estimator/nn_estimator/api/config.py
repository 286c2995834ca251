"""The api's settings, read from the environment (names shared by the suite, see DESIGN.md)."""

from pathlib import Path

from pydantic import Field, field_validator

from nn_estimator.config import Settings as EstimatorSettings


class Settings(EstimatorSettings):
    """The model package's settings (DATABASE_URL, MLFLOW_TRACKING_URI, TICKERS: only these
    tickers are served, anything else is a 422) plus the serving knobs."""

    # Bearer token for POST /admin/reload; unset (or empty) leaves it open, as locally.
    admin_token: str | None = None
    # How often the registry alias is polled for a new version; 0 turns polling off.
    reload_poll_seconds: float = Field(default=60.0, ge=0)
    # How often the database is asked whether a ticker has newer prices (a max(date) query).
    price_refresh_seconds: float = Field(default=30.0, ge=0)
    # Prediction rows are written in batches: every flush interval or once this many wait.
    prediction_flush_seconds: float = Field(default=0.5, gt=0)
    prediction_batch_rows: int = Field(default=2000, ge=1)
    # Above this many unwritten rows (database down for long) the oldest are dropped and counted,
    # so memory stays bounded.
    prediction_queue_max_rows: int = Field(default=200_000, ge=1)
    # Concurrent requests waiting in the same event-loop turn share one forward pass.
    micro_batching: bool = True
    # Answer POST /predict in a lean ASGI lane before FastAPI's router (about twice the
    # throughput, see predict_lane.py); false sends it through the FastAPI route.
    predict_fast_path: bool = True
    # Trading calendar of the tickers' exchange (exchange_calendars code).
    exchange_calendar: str = "XNYS"
    calendar_start: str = "1986-01-01"
    # Where downloaded artifacts are unpacked (a temp dir is used and removed after loading).
    model_download_dir: Path | None = None

    @field_validator("admin_token")
    @classmethod
    def _empty_token_is_none(cls, value: str | None) -> str | None:
        return value or None
