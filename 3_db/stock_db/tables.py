"""SQLAlchemy mirror of 3_db/init.sql; tests/db/test_schema.py keeps the two in step."""

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

# JSONB on Postgres (indexable, compact), plain JSON text on SQLite.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments an INTEGER PRIMARY KEY, so BIGINT ids become INTEGER there.
Identity64 = BigInteger().with_variant(Integer(), "sqlite")

prices = Table(
    "prices",
    metadata,
    Column("ticker", String(16), primary_key=True),
    Column("date", Date, primary_key=True),
    Column("open", Double, nullable=False),
    Column("high", Double, nullable=False),
    Column("low", Double, nullable=False),
    Column("close", Double, nullable=False),
    Column("volume", BigInteger, nullable=False),
    Column("source", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("high >= low", name="ck_prices_high_ge_low"),
    CheckConstraint("low > 0", name="ck_prices_low_positive"),
    CheckConstraint("open > 0", name="ck_prices_open_positive"),
    CheckConstraint("close > 0", name="ck_prices_close_positive"),
    CheckConstraint("volume >= 0", name="ck_prices_volume_nonnegative"),
)

MODEL_STATUSES = ("candidate", "champion", "rejected", "retired")

models = Table(
    "models",
    metadata,
    Column("ticker", String(16), nullable=False),
    Column("name", String(128), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("run_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("trained_at", DateTime(timezone=True), nullable=False),
    Column("train_start", Date, nullable=False),
    Column("train_end", Date, nullable=False),
    Column("metrics", JsonDocument, nullable=False),
    Column("promoted_at", DateTime(timezone=True), nullable=True),
    CheckConstraint(
        "status IN ('candidate', 'champion', 'rejected', 'retired')", name="ck_models_status"
    ),
    CheckConstraint("train_start <= train_end", name="ck_models_train_range"),
    CheckConstraint("version > 0", name="ck_models_version_positive"),
    Index("ix_models_ticker_status", "ticker", "status"),
)

predictions = Table(
    "predictions",
    metadata,
    Column("id", Identity64, primary_key=True, autoincrement=True),
    Column("ticker", String(16), nullable=False),
    Column("model_version", Integer, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("horizon", Integer, nullable=False),
    Column("predicted", Double, nullable=False),
    Column("lower", Double, nullable=False),
    Column("upper", Double, nullable=False),
    Column("latency_seconds", Double, nullable=False),
    CheckConstraint("horizon >= 1", name="ck_predictions_horizon_positive"),
    CheckConstraint("target_date > as_of", name="ck_predictions_target_after_as_of"),
    CheckConstraint(
        "lower <= predicted AND predicted <= upper", name="ck_predictions_band_ordered"
    ),
    CheckConstraint("latency_seconds >= 0", name="ck_predictions_latency_nonnegative"),
    Index("ix_predictions_ticker_target", "ticker", "target_date"),
    Index("ix_predictions_ticker_requested", "ticker", "requested_at"),
)

PIPELINE_TRIGGERS = ("schedule", "manual", "bootstrap")
PIPELINE_STATUSES = ("running", "succeeded", "failed", "skipped")

pipeline_runs = Table(
    "pipeline_runs",
    metadata,
    Column("id", Identity64, primary_key=True, autoincrement=True),
    Column("ticker", String(16), nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("rows_loaded", Integer, nullable=True),
    Column("model_version", Integer, nullable=True),
    Column("detail", JsonDocument, nullable=True),
    CheckConstraint(
        "trigger IN ('schedule', 'manual', 'bootstrap')", name="ck_pipeline_runs_trigger"
    ),
    CheckConstraint(
        "status IN ('running', 'succeeded', 'failed', 'skipped')", name="ck_pipeline_runs_status"
    ),
    CheckConstraint(
        "rows_loaded IS NULL OR rows_loaded >= 0", name="ck_pipeline_runs_rows_nonnegative"
    ),
    Index("ix_pipeline_runs_ticker_started", "ticker", "started_at"),
)
