"""GET /metrics: when each ticker's newest healthy (succeeded, skipped or
refused) cycle finished, in
Prometheus' text format, read back with prometheus_client's parser."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from shepherd.adapters import runs_table

T0 = datetime(2024, 11, 29, 23, 0, tzinfo=UTC)


def run(engine: Engine, ticker: str, minutes: int, status: str) -> None:
    run_id = runs_table.start_run(engine, ticker, "schedule", T0 + timedelta(minutes=minutes), {})
    finished = T0 + timedelta(minutes=minutes, seconds=30)
    runs_table.finish_run(
        engine,
        run_id,
        finished_at=finished,
        status=status,
        reason=status,
        rows_loaded=0,
        model_version=None,
        detail={},
    )


def last_success(text: str) -> dict[str, float]:
    return {
        s.labels["ticker"]: s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "shepherd_last_success_timestamp_seconds"
    }


@pytest.mark.parametrize(
    ("statuses", "expected_minutes"),
    [
        (["succeeded"], 0),
        (["succeeded", "failed"], 0),  # a later failure does not move it
        (["failed", "skipped"], 1),  # data already fresh counts as healthy
        (["succeeded", "skipped", "locked"], 1),
        (["failed", "refused"], 1),  # the gate kept the champion: the cycle did its job
        (["failed", "locked"], None),  # never healthy: no series, so `absent()` can alert
    ],
)
def test_last_healthy_cycle(
    engine: Engine,
    make_client: Any,
    runner: Any,
    statuses: list[str],
    expected_minutes: int | None,
) -> None:
    for minutes, status in enumerate(statuses):
        run(engine, "MSFT", minutes, status)
    run(engine, "AAPL", 9, "succeeded")  # not in TICKERS: not reported
    response = make_client(runner=runner).get("/metrics")
    assert response.status_code == 200
    found = last_success(response.text)
    if expected_minutes is None:
        assert found == {}
    else:
        at = T0 + timedelta(minutes=expected_minutes, seconds=30)
        assert found == {"MSFT": at.timestamp()}
