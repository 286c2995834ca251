"""GET /runs, GET /runs/{id} and POST /runs (bearer ADMIN_TOKEN) on both backends."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from shepherd.adapters import runs_table
from support.network import wait_until

TOKEN = "s3cret-token"
T0 = datetime(2024, 11, 29, 23, 0, tzinfo=UTC)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ClientFactory = Callable[..., TestClient]


def finished_run(engine: Engine, minutes: int, ticker: str = "MSFT", **detail: Any) -> int:
    run_id = runs_table.start_run(engine, ticker, "schedule", T0 + timedelta(minutes=minutes), {})
    runs_table.finish_run(
        engine,
        run_id,
        finished_at=T0 + timedelta(minutes=minutes, seconds=30),
        status="skipped",
        reason="refused: the gate kept the champion; lstm-MSFT v5 rejected",
        rows_loaded=1,
        model_version=5,
        detail={
            "outcome": "refused",
            "trigger": "schedule",
            "action": "fine_tune",
            "gate": {"decision": "reject", "p_value": 0.41, "reasons": ["worse"]},
            "timings": {"train": 12.5},
            **detail,
        },
    )
    return run_id


def test_runs_newest_first_with_the_detail_as_fields(
    make_client: ClientFactory, runner: Any, engine: Engine
) -> None:
    client = make_client(runner=runner)
    assert client.get("/runs").json() == {"runs": []}
    older = finished_run(engine, 0)
    newer = finished_run(engine, 5)
    finished_run(engine, 7, ticker="AAPL")
    body = client.get("/runs", params={"ticker": "msft"}).json()
    assert [run["id"] for run in body["runs"]] == [newer, older]
    run = body["runs"][0]
    assert run == {
        "id": newer,
        "ticker": "MSFT",
        "trigger": "schedule",
        "started_at": "2024-11-29T23:05:00Z",
        "finished_at": "2024-11-29T23:05:30Z",
        "duration_seconds": 30.0,
        "status": "skipped",
        "outcome": "refused",
        "reason": "refused: the gate kept the champion; lstm-MSFT v5 rejected",
        "rows_loaded": 1,
        "model_version": 5,
        "action": "fine_tune",
        "gate_decision": "reject",
        "gate_p_value": 0.41,
        "force": False,
        "step": None,
        "staleness": None,
        "facts": None,
        "timings": {"train": 12.5},
    }
    assert len(client.get("/runs", params={"limit": 1}).json()["runs"]) == 1
    assert len(client.get("/runs").json()["runs"]) == 3
    assert client.get(f"/runs/{older}").json()["id"] == older


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 501}, {"ticker": "not a ticker!"}, {"limit": "x"}]
)
def test_bad_queries_are_422(
    make_client: ClientFactory, runner: Any, query: dict[str, Any]
) -> None:
    assert make_client(runner=runner).get("/runs", params=query).status_code == 422


def test_an_unknown_run_is_404(make_client: ClientFactory, runner: Any) -> None:
    response = make_client(runner=runner).get("/runs/999999")
    assert (response.status_code, response.json()) == (404, {"detail": "no run 999999"})


@pytest.mark.parametrize("run_id", ["0", "-1", str(2**63)])  # ids are 1..2**63-1 (BIGINT)
def test_a_run_id_out_of_range_is_422(make_client: ClientFactory, runner: Any, run_id: str) -> None:
    response = make_client(runner=runner).get(f"/runs/{run_id}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "run_id"]


def test_a_method_the_path_lacks_is_405_listing_all_it_has(
    make_client: ClientFactory, runner: Any
) -> None:
    client = make_client(runner=runner)
    for method, path, allowed in [
        ("OPTIONS", "/runs", "GET, POST"),  # Starlette alone would say GET (the first route)
        ("DELETE", "/runs/1", "GET"),
        ("OPTIONS", "/schedule", "GET"),
    ]:
        response = client.request(method, path, headers=AUTH)
        assert (response.status_code, response.headers["allow"]) == (405, allowed), path


def test_post_runs_needs_the_token(make_client: ClientFactory, runner: Any) -> None:
    client = make_client(runner=runner)
    body = {"ticker": "MSFT", "force": False}
    assert client.post("/runs", json=body).status_code == 401
    wrong = client.post("/runs", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert runner.started == []
    accepted = client.post("/runs", json={"ticker": "msft", "force": True}, headers=AUTH)
    assert accepted.status_code == 202
    assert accepted.json() == {"run_id": 41, "ticker": "MSFT", "status": "running"}
    assert runner.started == [("MSFT", True)]


def test_post_runs_checks_the_token_before_reading_a_big_body(
    make_client: ClientFactory, runner: Any
) -> None:
    client = make_client(runner=runner)
    big = '{"ticker": "MSFT", "pad": "' + "x" * 100_000 + '"}'
    headers = {"content-type": "application/json"}
    assert client.post("/runs", content=big, headers=headers).status_code == 401
    assert client.post("/runs", content=big, headers={**headers, **AUTH}).status_code == 413
    assert runner.started == []


def test_post_runs_is_open_without_a_token(make_client: ClientFactory, runner: Any) -> None:
    client = make_client(runner=runner, admin_token="")
    assert client.post("/runs", json={"ticker": "MSFT"}).status_code == 202


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ticker": "AAPL"}, "ticker"),  # not in TICKERS
        ({"ticker": "MS FT"}, "ticker"),
        ({"ticker": "MSFT", "extra": 1}, "extra"),
        ({"force": True}, "ticker"),
        ({"ticker": "MSFT", "force": 0}, "force"),  # JSON true/false only, nothing guessed
        ({"ticker": "MSFT", "force": "false"}, "force"),
    ],
)
def test_post_runs_refuses_what_it_cannot_do(
    make_client: ClientFactory, runner: Any, body: dict[str, Any], field: str
) -> None:
    response = make_client(runner=runner).post("/runs", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert runner.started == []


def test_run_now_really_runs_a_cycle(
    make_client: ClientFactory, engine: Engine, add_prices: Any, add_champion: Any
) -> None:
    """The real thread pool: the row exists at once, the cycle fails at the load (2_load_data
    is a closed port here) and says so."""
    add_prices(date(2017, 11, 3))
    add_champion(1, date(2017, 11, 3))
    client = make_client(clock=lambda: datetime(2017, 11, 10, 22, 0, tzinfo=UTC))
    run_id = client.post("/runs", json={"ticker": "MSFT"}, headers=AUTH).json()["run_id"]

    def ended() -> dict[str, Any] | None:
        run: dict[str, Any] = client.get(f"/runs/{run_id}").json()
        return run if run["status"] != "running" else None

    run = wait_until(ended, timeout=30, what="the run to end")
    assert (run["status"], run["outcome"], run["trigger"], run["step"]) == (
        "failed",
        "failed",
        "manual",
        "load",
    )
    assert run["reason"].startswith("failed at load: 2_load_data: POST http://127.0.0.1:")
    assert run["staleness"]["missing_sessions"] == 5
