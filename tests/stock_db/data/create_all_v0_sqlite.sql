-- The SQLite schema as stock_db.metadata.create_all made it before migrations existed (the
-- tables of revision 0001, no alembic_version): test data for upgrading such a database.

CREATE TABLE prices (
    ticker VARCHAR(16) NOT NULL,
    date DATE NOT NULL,
    open DOUBLE NOT NULL,
    high DOUBLE NOT NULL,
    low DOUBLE NOT NULL,
    close DOUBLE NOT NULL,
    volume BIGINT NOT NULL,
    source VARCHAR(64) NOT NULL,
    loaded_at DATETIME NOT NULL,
    PRIMARY KEY (ticker, date),
    CONSTRAINT ck_prices_high_ge_low CHECK (high >= low),
    CONSTRAINT ck_prices_low_positive CHECK (low > 0),
    CONSTRAINT ck_prices_open_positive CHECK (open > 0),
    CONSTRAINT ck_prices_close_positive CHECK (close > 0),
    CONSTRAINT ck_prices_volume_nonnegative CHECK (volume >= 0)
);

CREATE TABLE models (
    ticker VARCHAR(16) NOT NULL,
    name VARCHAR(128) NOT NULL,
    version INTEGER NOT NULL,
    run_id VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL,
    trained_at DATETIME NOT NULL,
    train_start DATE NOT NULL,
    train_end DATE NOT NULL,
    metrics JSON NOT NULL,
    promoted_at DATETIME,
    PRIMARY KEY (name, version),
    CONSTRAINT ck_models_status CHECK (status IN ('candidate', 'champion', 'rejected', 'retired')),
    CONSTRAINT ck_models_train_range CHECK (train_start <= train_end),
    CONSTRAINT ck_models_version_positive CHECK (version > 0)
);

CREATE INDEX ix_models_ticker_status ON models (ticker, status);

CREATE TABLE predictions (
    id INTEGER NOT NULL,
    ticker VARCHAR(16) NOT NULL,
    model_version INTEGER NOT NULL,
    requested_at DATETIME NOT NULL,
    as_of DATE NOT NULL,
    target_date DATE NOT NULL,
    horizon INTEGER NOT NULL,
    predicted DOUBLE NOT NULL,
    lower DOUBLE NOT NULL,
    upper DOUBLE NOT NULL,
    latency_seconds DOUBLE NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_predictions_horizon_positive CHECK (horizon >= 1),
    CONSTRAINT ck_predictions_target_after_as_of CHECK (target_date > as_of),
    CONSTRAINT ck_predictions_band_ordered CHECK (lower <= predicted AND predicted <= upper),
    CONSTRAINT ck_predictions_latency_nonnegative CHECK (latency_seconds >= 0)
);

CREATE INDEX ix_predictions_ticker_requested ON predictions (ticker, requested_at);

CREATE INDEX ix_predictions_ticker_target ON predictions (ticker, target_date);

CREATE TABLE pipeline_runs (
    id INTEGER NOT NULL,
    ticker VARCHAR(16) NOT NULL,
    "trigger" VARCHAR(16) NOT NULL,
    started_at DATETIME NOT NULL,
    finished_at DATETIME,
    status VARCHAR(16) NOT NULL,
    reason TEXT,
    rows_loaded INTEGER,
    model_version INTEGER,
    detail JSON,
    PRIMARY KEY (id),
    CONSTRAINT ck_pipeline_runs_trigger CHECK (trigger IN ('schedule', 'manual', 'bootstrap')),
    CONSTRAINT ck_pipeline_runs_status CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    CONSTRAINT ck_pipeline_runs_rows_nonnegative CHECK (rows_loaded IS NULL OR rows_loaded >= 0)
);

CREATE INDEX ix_pipeline_runs_ticker_started ON pipeline_runs (ticker, started_at);
