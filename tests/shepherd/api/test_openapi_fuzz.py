"""Property-based fuzzing of every operation against the shepherd's own OpenAPI document
(schemathesis): whatever the generated request, no 5xx, and every answer matches its declared
status, content type and schema. Bounded for the normal test run: SQLite, 50 examples per
operation, ADMIN_TOKEN set (schemathesis sends it through the auth provider below, and also
tries requests without it, expecting 401), the scheduler on with a crontab that never fires
during the test (so GET /schedule and /health show a real job), and a runner that only records
the cycles POST /runs starts: nothing is loaded or trained.

Not checked: that every schema-valid request is accepted (positive_data_acceptance): a ticker
not in TICKERS is a business rule OpenAPI cannot say, answered 422 naming the field, and a run
id nobody has is 404.

The app is built at import (schemathesis reads its schema while collecting; its lazy
`from_fixture` loader does not run under this pytest), on a SQLite file of its own."""

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from shepherd.adapters import runs_table
from shepherd.config import Settings
from shepherd.main import create_app
from support.network import closed_url

TOKEN = "fuzz-token"
TICKERS = ["MSFT", "AAPL"]
# 03:00 on 29 February (New York time): the scheduler runs with real jobs, none of which fires
# (or is caught up as missed) while the test runs.
NEVER_DURING_THE_TEST = "0 3 29 feb *"


class RecordingRunner:
    """Stands in for the thread pool behind POST /runs: records what it was asked to start."""

    def __init__(self) -> None:
        self.started: list[tuple[str, bool]] = []

    def start(self, ticker: str, force: bool) -> int:
        self.started.append((ticker, force))
        return 1000 + len(self.started)

    def shutdown(self) -> None:
        pass


FOLDER = Path(tempfile.mkdtemp(prefix="shepherd-fuzz-"))
RUNNER = RecordingRunner()
APP = create_app(
    Settings(
        database_url=f"sqlite:///{FOLDER / 'suite.db'}",
        tickers=TICKERS,
        admin_token=TOKEN,
        shepherd_schedule=NEVER_DURING_THE_TEST,
        load_data_url=closed_url(),
        estimator_url=closed_url(),
        metrics_url=closed_url(),
        http_attempts=1,
    ),
    runner=RUNNER,
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.auth()
class _AdminToken:
    """ADMIN_TOKEN on the requests that declare the bearer scheme."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return TOKEN

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


def _store_runs() -> None:
    """A few finished and running cycles, so GET /runs and /runs/{id} return real rows."""
    engine = APP.state.engine
    began = datetime(2017, 11, 10, 23, 0, tzinfo=UTC)
    stored: list[tuple[str, str, dict[str, Any]]] = [
        (
            "MSFT",
            "succeeded",
            {
                "outcome": "succeeded",
                "trigger": "schedule",
                "force": False,
                "step": "verify",
                "action": "fine_tune",
                "gate": {"decision": "promote", "p_value": 0.01, "reasons": ["better"]},
                "staleness": {"missing_sessions": 1, "first_missing": "2017-11-10"},
                "facts": {"champion_version": 1, "new_sessions": 1},
                "timings": {"staleness": 0.01, "load": 0.2, "train": 3.5},
            },
        ),
        ("MSFT", "refused", {"outcome": "refused", "trigger": "manual", "force": True}),
        ("AAPL", "failed", {"outcome": "failed", "trigger": "cron", "step": "load"}),
    ]
    for ticker, status, detail in stored:
        run_id = runs_table.start_run(engine, ticker, "schedule", began, {"outcome": "running"})
        runs_table.finish_run(
            engine,
            run_id,
            finished_at=began + timedelta(seconds=5),
            status=status,
            reason=f"{status}: as stored for the fuzz test",
            rows_loaded=1,
            model_version=2,
            detail=detail,
        )
    runs_table.start_run(engine, "AAPL", "manual", began, {"outcome": "running"})


@pytest.fixture(scope="module", autouse=True)
def _running_app() -> Iterator[None]:
    with TestClient(APP):  # runs the lifespan: the schema, the scheduler, the runner
        _store_runs()
        yield
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_within_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_only_kept_tickers_were_started() -> None:
    """Whatever schemathesis sent, POST /runs started cycles only of tickers in TICKERS."""
    assert all(ticker in TICKERS for ticker, _force in RUNNER.started), RUNNER.started
