"""The api's settings, read from the environment."""

from pathlib import Path

from pydantic import Field

from nn_estimator.config import Settings as EstimatorSettings


class Settings(EstimatorSettings):
    """The model package's settings (the suite's DATABASE_URL, TICKERS, ADMIN_TOKEN, plus
    MLFLOW_TRACKING_URI) and the serving knobs. Only TICKERS are served: any other ticker is a
    422. ADMIN_TOKEN guards POST /admin/reload."""

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
    # throughput, see api/predict_lane.py); false sends it through the FastAPI route.
    predict_fast_path: bool = True
    # Trading calendar of the tickers' exchange (exchange_calendars code).
    exchange_calendar: str = "XNYS"
    calendar_start: str = "1986-01-01"
    # Where downloaded artifacts are unpacked (a temp dir is used and removed after loading).
    model_download_dir: Path | None = None
    # MLflow calls (alias look-up, artifact download) are bounded: each HTTP request waits at
    # most this many seconds and is retried this many times (MLflow's own defaults retry for
    # about 4 minutes). Set for the process as MLFLOW_HTTP_REQUEST_TIMEOUT / _MAX_RETRIES.
    mlflow_timeout_seconds: int = Field(default=5, ge=1)
    mlflow_retries: int = Field(default=1, ge=0)
    # POST /admin/reload waits at most this long for a reload already running (the periodic
    # poll), then answers 503 "a reload is already running".
    admin_reload_wait_seconds: float = Field(default=5.0, ge=0)
