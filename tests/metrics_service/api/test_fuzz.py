"""Property-based fuzzing of the service's OpenAPI schema with schemathesis (bounded: 50
examples per operation, SQLite with a little data, latency sources on closed ports): no 5xx,
every status documented, every body matching its schema."""

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from metrics_service.config import Settings
from metrics_service.main import create_app
from stock_db import create_db_engine, ensure_schema
from support.network import closed_url
from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    random_walk,
    trading_days,
)

# The app and its schema exist at import (schemathesis parametrizes from the schema); the
# database behind it is filled by the fixture below, before the first case is called.
FOLDER = Path(tempfile.mkdtemp(prefix="metrics-fuzz-"))
DATABASE_URL = f"sqlite:///{FOLDER / 'suite.db'}"
APP = create_app(
    Settings(
        database_url=DATABASE_URL,
        prometheus_url=closed_url(),
        estimator_url=closed_url(),
        database_wait_seconds=0,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def little_data() -> Iterator[None]:
    engine = create_db_engine(DATABASE_URL)
    ensure_schema(engine)
    days = trading_days("2023-01-02", 200)
    closes = random_walk(200, 0.01, seed=11)
    insert_prices(engine, days, closes)
    insert_model(engine, 1, days[0], days[119])
    rows = [prediction_row(days[i - 1], days[i], closes[i] * 1.01) for i in range(121, 200)]
    rows += [prediction_row(days[i - 5], days[i], closes[i], horizon=5) for i in range(130, 200)]
    insert_predictions(engine, rows)
    engine.dispose()
    yield
    APP.state.engine.dispose()
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_error_and_responses_match_their_schemas(case: schemathesis.Case) -> None:
    # Schema-valid input may still be refused: an unknown ticker (404), a reversed range or
    # drift work above the limit (422 naming the parameter); every other check applies.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
