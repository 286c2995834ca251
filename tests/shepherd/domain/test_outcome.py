"""How a cycle ends once it trained: promoted and served, refused by the gate, or not served."""

import pytest

from shepherd.domain.outcome import (
    TABLE_STATUS,
    Outcome,
    TrainingReport,
    outcome_of_row,
    serving_verdict,
    training_verdict,
)


def report(promoted: bool, p_value: float | None = 0.2) -> TrainingReport:
    return TrainingReport(
        "lstm-MSFT",
        5,
        promoted,
        ("candidate MASE 1.01 > champion 0.99",),
        "promote" if promoted else "reject",
        p_value,
    )


def test_a_promoted_candidate_goes_on_to_the_reload() -> None:
    assert training_verdict(report(True)) is None


def test_gate_refused() -> None:
    verdict = training_verdict(report(False, p_value=0.4123))
    assert verdict is not None
    assert verdict.outcome == Outcome.REFUSED
    assert verdict.reason.startswith("refused: the gate kept the champion")
    assert "v5 rejected (p=0.412): candidate MASE 1.01 > champion 0.99" in verdict.reason
    assert TABLE_STATUS[verdict.outcome] == "refused"


def test_gate_refused_without_a_p_value() -> None:
    verdict = training_verdict(report(False, p_value=None))
    assert verdict is not None and "(p=" not in verdict.reason


@pytest.mark.parametrize(
    ("reload_outcome", "error", "served", "outcome", "words"),
    [
        ("loaded", None, 5, Outcome.SUCCEEDED, "v5 promoted and served"),
        ("unchanged", None, 5, Outcome.SUCCEEDED, "served by the api"),
        ("failed", "artifact unreadable", 4, Outcome.FAILED, "serves v4"),
        (None, None, None, Outcome.FAILED, "serves nothing"),
    ],
)
def test_serving(
    reload_outcome: str | None, error: str | None, served: int | None, outcome: Outcome, words: str
) -> None:
    verdict = serving_verdict(5, reload_outcome, error, served)
    assert verdict.outcome == outcome
    assert words in verdict.reason
    if error:
        assert error in verdict.reason


def test_every_outcome_is_stored_with_a_status_the_table_allows() -> None:
    assert set(TABLE_STATUS) == set(Outcome)
    allowed = {"running", "succeeded", "failed", "skipped", "locked", "refused"}  # 0004's CHECK
    assert set(TABLE_STATUS.values()) <= allowed


@pytest.mark.parametrize(
    ("status", "detail_outcome", "expected"),
    [
        ("skipped", "locked", Outcome.LOCKED),
        ("skipped", "refused", Outcome.REFUSED),
        ("skipped", None, Outcome.NOTHING_TO_DO),
        ("failed", "not-an-outcome", Outcome.FAILED),
        ("running", None, Outcome.RUNNING),
        ("succeeded", None, Outcome.SUCCEEDED),
    ],
)
def test_outcome_of_a_stored_row(status: str, detail_outcome: object, expected: Outcome) -> None:
    assert outcome_of_row(status, detail_outcome) == expected
