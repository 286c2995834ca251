"""The shepherd's SQL on both backends: pipeline_runs rows, the newest close, the champion."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from shepherd.adapters import runs_table
from shepherd.adapters.models_table import current_champion, data_end
from shepherd.adapters.prices_table import newest_close
from support.rows import insert_prices

ChampionWriter = Callable[..., None]

T0 = datetime(2024, 11, 29, 23, 0, tzinfo=UTC)


def test_a_run_row_from_start_to_end(engine: Engine) -> None:
    run_id = runs_table.start_run(engine, "MSFT", "schedule", T0, {"trigger": "schedule"})
    row = runs_table.get_run(engine, run_id)
    assert row is not None
    assert (row.status, row.started_at, row.finished_at) == ("running", T0, None)
    runs_table.finish_run(
        engine,
        run_id,
        finished_at=T0 + timedelta(seconds=42),
        status="succeeded",
        reason="v5 promoted and served by the api",
        rows_loaded=3,
        model_version=5,
        detail={"gate": {"decision": "promote", "p_value": float("nan")}},
    )
    row = runs_table.get_run(engine, run_id)
    assert row is not None
    assert (row.status, row.rows_loaded, row.model_version) == ("succeeded", 3, 5)
    assert row.finished_at == T0 + timedelta(seconds=42)
    assert row.detail["gate"] == {"decision": "promote", "p_value": "nan"}  # JSON-safe


def test_recent_runs_newest_first_per_ticker(engine: Engine) -> None:
    for minutes, ticker in [(0, "MSFT"), (1, "AAPL"), (2, "MSFT")]:
        runs_table.start_run(engine, ticker, "manual", T0 + timedelta(minutes=minutes), {})
    everything = runs_table.recent_runs(engine, None, 10)
    assert [(r.ticker, r.started_at.minute) for r in everything] == [
        ("MSFT", 2),
        ("AAPL", 1),
        ("MSFT", 0),
    ]
    assert [r.started_at.minute for r in runs_table.recent_runs(engine, "MSFT", 1)] == [2]
    assert runs_table.get_run(engine, 10_000) is None


def test_orphans_are_marked_abandoned(engine: Engine) -> None:
    old = runs_table.start_run(engine, "MSFT", "schedule", T0 - timedelta(hours=2), {})
    recent = runs_table.start_run(engine, "MSFT", "manual", T0, {})
    other = runs_table.start_run(engine, "AAPL", "schedule", T0 - timedelta(hours=2), {})
    assert runs_table.abandon_orphans(engine, "MSFT", T0 - timedelta(minutes=1), T0) == 1
    statuses = {r.id: r.status for r in runs_table.recent_runs(engine, None, 10)}
    assert statuses == {old: "failed", recent: "running", other: "running"}


def test_last_started_per_trigger(engine: Engine) -> None:
    assert runs_table.last_started(engine, "MSFT", "schedule") is None
    runs_table.start_run(engine, "MSFT", "schedule", T0, {})
    runs_table.start_run(engine, "MSFT", "manual", T0 + timedelta(hours=1), {})
    assert runs_table.last_started(engine, "MSFT", "schedule") == T0


def test_newest_close(engine: Engine) -> None:
    assert newest_close(engine, "MSFT") is None
    insert_prices(engine, [date(2024, 11, 27), date(2024, 11, 29)], [10.0, 11.0])
    assert newest_close(engine, "MSFT") == date(2024, 11, 29)
    assert newest_close(engine, "AAPL") is None


def test_current_champion(engine: Engine, add_champion: ChampionWriter) -> None:
    assert current_champion(engine, "MSFT") is None
    add_champion(1, date(2024, 6, 28), trained_at=T0 - timedelta(days=90), status="retired")
    add_champion(2, date(2024, 9, 30), trained_at=T0 - timedelta(days=60))
    add_champion(3, date(2024, 11, 1), trained_at=T0 - timedelta(days=20), status="rejected")
    champion = current_champion(engine, "MSFT")
    assert champion is not None
    assert (champion.version, champion.data_end) == (2, date(2024, 9, 30))
    assert champion.trained_at == T0 - timedelta(days=60)  # aware on both backends


def test_data_end_is_the_newest_close_seen_else_train_end() -> None:
    assert data_end({"eval_end": "2017-11-10"}, date(2016, 11, 14)) == date(2017, 11, 10)
    assert data_end({}, date(2016, 11, 14)) == date(2016, 11, 14)
    assert data_end({"eval_end": "garbage"}, date(2016, 11, 14)) == date(2016, 11, 14)
    assert data_end(None, date(2016, 11, 14)) == date(2016, 11, 14)
