"""One cycle, step by step, on both backends: the real database, lock and calendar; the other
services are fakes that behave like them (see conftest.py). Time is the end of the bundled
sample (2017-11-10, a Friday, after the close) unless a test travels elsewhere."""

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine

from shepherd.adapters import runs_table
from shepherd.adapters.http import ServiceError
from shepherd.adapters.models_table import current_champion
from shepherd.adapters.prices_table import newest_close
from shepherd.adapters.trainer import TrainingFailed
from shepherd.domain.decision import Drift
from shepherd.domain.outcome import Outcome
from shepherd.usecases.cycle import CycleResult, Shepherd, Trigger, run_cycle

LAST = date(2017, 11, 10)
A_WEEK_EARLIER = date(2017, 11, 3)  # five sessions before LAST: 11-06 .. 11-10
AddPrices = Callable[[date], int]
AddChampion = Callable[..., None]
MakeShepherd = Callable[..., Shepherd]


def row_of(engine: Engine, result: CycleResult) -> runs_table.RunRow:
    row = runs_table.get_run(engine, result.run_id)
    assert row is not None
    return row


def test_fresh_data_nothing_to_do(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices, add_champion: AddChampion
) -> None:
    add_prices(LAST)
    add_champion(1, LAST)
    shepherd = make_shepherd()
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert (result.outcome, result.status) == (Outcome.NOTHING_TO_DO, "skipped")
    assert result.reason.startswith("fresh: newest close 2017-11-10")
    assert shepherd.loader.calls == []  # type: ignore[attr-defined]
    row = row_of(engine, result)
    assert (row.status, row.trigger, row.rows_loaded) == ("skipped", "schedule", None)
    assert row.detail["outcome"] == "nothing_to_do"
    assert row.detail["staleness"]["missing_sessions"] == 0
    assert row.finished_at is not None


def test_stale_data_is_loaded_and_below_the_period_no_training(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices, add_champion: AddChampion
) -> None:
    add_prices(date(2017, 11, 8))
    add_champion(1, date(2017, 11, 8))
    shepherd = make_shepherd()
    result = run_cycle(shepherd, "MSFT", Trigger.CRON)
    assert shepherd.loader.calls == [("MSFT", date(2017, 11, 9), LAST)]  # type: ignore[attr-defined]
    assert newest_close(engine, "MSFT") == LAST
    assert (result.outcome, result.rows_loaded, result.model_version) == (
        Outcome.SUCCEEDED,
        2,
        None,
    )
    assert "loaded 2 row(s) up to 2017-11-10 from sample" in result.reason
    assert "2 new session(s)" in result.reason and "no training" in result.reason
    row = row_of(engine, result)
    assert (row.trigger, row.detail["trigger"]) == ("cron", "cron")
    assert row.detail["action"] == "none"
    assert set(row.detail["timings"]) == {"staleness", "load", "decide"}


def test_past_the_period_a_fine_tune_is_promoted_and_served(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices, add_champion: AddChampion
) -> None:
    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    shepherd = make_shepherd()
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert shepherd.trainer.calls == [("MSFT", True)]  # type: ignore[attr-defined]
    assert (result.outcome, result.status, result.rows_loaded, result.model_version) == (
        Outcome.SUCCEEDED,
        "succeeded",
        5,
        2,
    )
    assert result.reason.startswith("v2 promoted and served by the api")
    assert "5 new session(s)" in result.reason
    assert shepherd.estimator.served == 2  # type: ignore[attr-defined]
    row = row_of(engine, result)
    assert row.model_version == 2
    assert row.detail["gate"]["decision"] == "promote"
    assert row.detail["gate"]["p_value"] == 0.012
    assert row.detail["action"] == "fine_tune"
    assert row.detail["facts"]["new_sessions"] == 5
    assert set(row.detail["timings"]) == {
        "staleness",
        "load",
        "decide",
        "train",
        "reload",
        "verify",
    }


def test_gate_refused_keeps_the_champion(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
    fakes: SimpleNamespace,
) -> None:
    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    shepherd = make_shepherd(trainer=fakes.Trainer(engine, promote=False))
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert (result.outcome, result.status, result.model_version) == (
        Outcome.REFUSED,
        "refused",
        2,
    )
    assert result.reason.startswith("refused: the gate kept the champion; lstm-MSFT v2 rejected")
    assert shepherd.estimator.reloads == 0  # type: ignore[attr-defined]
    champion = current_champion(engine, "MSFT")
    assert champion is not None and champion.version == 1
    assert row_of(engine, result).detail["gate"] == {
        "decision": "reject",
        "p_value": 0.41,
        "reasons": ["candidate MASE 1.02 > champion 0.99"],
    }


def test_no_champion_means_a_full_training(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices
) -> None:
    add_prices(LAST)
    shepherd = make_shepherd()
    result = run_cycle(shepherd, "MSFT", Trigger.MANUAL, force=True)  # fresh: needs force
    assert shepherd.trainer.calls == [("MSFT", False)]  # type: ignore[attr-defined]
    assert result.outcome == Outcome.SUCCEEDED
    assert "no champion yet" in result.reason


def test_drift_means_a_full_retrain(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
    fakes: SimpleNamespace,
) -> None:
    add_prices(date(2017, 11, 9))
    add_champion(1, date(2017, 11, 9))
    shepherd = make_shepherd(metrics=fakes.Metrics(Drift(True, "ks p_value 0.0001")))
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert shepherd.trainer.calls == [("MSFT", False)]  # type: ignore[attr-defined]
    assert "data drift detected (ks p_value 0.0001)" in result.reason


def test_force_on_fresh_data_fine_tunes(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices, add_champion: AddChampion
) -> None:
    add_prices(LAST)
    add_champion(1, LAST)
    shepherd = make_shepherd()
    result = run_cycle(shepherd, "MSFT", Trigger.MANUAL, force=True)
    assert shepherd.trainer.calls == [("MSFT", True)]  # type: ignore[attr-defined]
    assert "forced" in result.reason
    assert row_of(engine, result).detail["force"] is True


def test_loader_down_fails_before_anything_changes(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
    fakes: SimpleNamespace,
    sample_frame: object,
) -> None:
    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    down = ServiceError(
        "2_load_data", "POST http://x/load failed: ConnectError (after 3 attempt(s))"
    )
    shepherd = make_shepherd(loader=fakes.Loader(engine, sample_frame, error=down))
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert (result.outcome, result.status) == (Outcome.FAILED, "failed")
    assert result.reason.startswith("failed at load: 2_load_data: POST http://x/load failed")
    assert shepherd.trainer.calls == []  # type: ignore[attr-defined]
    assert newest_close(engine, "MSFT") == A_WEEK_EARLIER
    assert not result.ok


def test_a_load_without_new_rows_fails(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
) -> None:
    add_prices(LAST)
    add_champion(1, LAST)
    # Monday after the close: the sample has no 2017-11-13 (Yahoo would be late, or down).
    shepherd = make_shepherd(now=datetime(2017, 11, 13, 23, 0, tzinfo=UTC))
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert result.outcome == Outcome.FAILED
    assert "no rows for the 1 missing session(s) 2017-11-13..2017-11-13" in result.reason


def test_a_training_failure_leaves_the_champion(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
    fakes: SimpleNamespace,
) -> None:
    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    broken = fakes.Trainer(engine, error=TrainingFailed("training exited with code 2: error: x"))
    result = run_cycle(make_shepherd(trainer=broken), "MSFT", Trigger.SCHEDULE)
    assert result.reason == "failed at train: training exited with code 2: error: x"
    assert result.rows_loaded == 5  # the data that arrived stays: it is real
    champion = current_champion(engine, "MSFT")
    assert champion is not None and champion.version == 1


@pytest.mark.parametrize(
    ("stuck", "down", "words"),
    [
        (True, False, "failed at verify: v2 was promoted but the api serves nothing"),
        (False, True, "failed at reload: estimator api: POST /admin/reload failed"),
    ],
)
def test_an_api_that_does_not_reload_fails_the_cycle(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
    fakes: SimpleNamespace,
    stuck: bool,
    down: bool,
    words: str,
) -> None:
    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    shepherd = make_shepherd(estimator=fakes.Estimator(engine, stuck=stuck, down=down))
    result = run_cycle(shepherd, "MSFT", Trigger.SCHEDULE)
    assert result.outcome == Outcome.FAILED
    assert result.reason.startswith(words)
    assert result.model_version == 2


def test_past_the_calendar_fails_with_the_reason(
    make_shepherd: MakeShepherd, add_prices: AddPrices
) -> None:
    add_prices(LAST)
    result = run_cycle(
        make_shepherd(now=datetime(2099, 1, 1, tzinfo=UTC)), "MSFT", Trigger.SCHEDULE
    )
    assert result.outcome == Outcome.FAILED
    assert result.reason.startswith("failed at staleness: the XNYS calendar ends")


def test_an_unexpected_error_is_still_a_recorded_failure(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices, add_champion: AddChampion
) -> None:
    class Exploding:
        def drift(self, ticker: str) -> Drift:
            raise RuntimeError("boom")

    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    result = run_cycle(make_shepherd(metrics=Exploding()), "MSFT", Trigger.SCHEDULE)
    assert result.reason == "failed at decide: RuntimeError: boom"
    assert row_of(engine, result).status == "failed"


def test_two_concurrent_cycles_one_trains_one_reports_locked(
    engine: Engine,
    make_shepherd: MakeShepherd,
    add_prices: AddPrices,
    add_champion: AddChampion,
    fakes: SimpleNamespace,
) -> None:
    add_prices(A_WEEK_EARLIER)
    add_champion(1, A_WEEK_EARLIER)
    release = threading.Event()
    trainer = fakes.Trainer(engine, release=release)
    shepherd = make_shepherd(trainer=trainer)
    results: list[CycleResult] = []
    first = threading.Thread(
        target=lambda: results.append(run_cycle(shepherd, "MSFT", Trigger.SCHEDULE))
    )
    first.start()
    assert trainer.entered.wait(timeout=20)  # the first cycle is training, inside the lock
    second = run_cycle(shepherd, "MSFT", Trigger.CRON)
    release.set()
    first.join(timeout=30)
    assert (second.outcome, second.status) == (Outcome.LOCKED, "locked")
    assert second.reason.startswith("locked: another cycle of MSFT holds the lock")
    assert trainer.calls == [("MSFT", True)]  # trained once
    assert results[0].outcome == Outcome.SUCCEEDED
    assert row_of(engine, second).detail["outcome"] == "locked"


def test_a_dead_cycle_left_running_is_marked_abandoned(
    engine: Engine, make_shepherd: MakeShepherd, add_prices: AddPrices, add_champion: AddChampion
) -> None:
    add_prices(LAST)
    add_champion(1, LAST)
    now = datetime(2017, 11, 10, 22, 0, tzinfo=UTC)
    dead = runs_table.start_run(engine, "MSFT", "schedule", now - timedelta(hours=3), {})
    run_cycle(make_shepherd(now=now), "MSFT", Trigger.SCHEDULE)
    row = runs_table.get_run(engine, dead)
    assert row is not None and row.status == "failed"
    assert row.reason is not None and "abandoned" in row.reason
