"""The gate check, the plausibility of a stored window and the trial windows, by tables."""

import numpy as np
import pytest

from estimator_api.domain.serving import (
    gate_refusal,
    is_plausible_window,
    synthetic_windows,
    trial_windows,
)
from nn_estimator.adapters.registry import ChampionRef

REF = ChampionRef(name="lstm-MSFT", version=4, run_id="run4")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"status": "champion", "run_id": "run4"}, None),
        (None, "not_recorded"),
        ({"status": "rejected", "run_id": "run4"}, "not_champion"),
        ({"status": "retired", "run_id": "run4"}, "not_champion"),
        ({"status": "champion", "run_id": "other"}, "run_mismatch"),
    ],
)
def test_gate_refusal(record: dict[str, str] | None, reason: str | None) -> None:
    refusal = gate_refusal(REF, record)
    assert (refusal[0] if refusal else None) == reason


@pytest.mark.parametrize(
    ("window", "plausible"),
    [
        ([80.0, 80.5, 79.9, 81.0], True),
        ([80.0, 80.5, float("inf"), 81.0], False),
        ([80.0, float("nan"), 81.0], False),
        ([80.0, 0.0, 81.0], False),
        ([80.0, -1.0, 81.0], False),
        ([80.0, 1e300, 81.0], False),
        ([80.0, 1e-300, 81.0], False),
        ([80.0, 700.0], True),  # a tenfold day is the limit
        ([], False),
    ],
)
def test_plausible_window(window: list[float], plausible: bool) -> None:
    assert is_plausible_window(np.asarray(window)) is plausible


def test_trial_windows_skip_implausible_stored_windows() -> None:
    synthetic = synthetic_windows(20)
    assert np.all(np.isfinite(synthetic)) and np.all(synthetic > 0)
    clean = 80.0 + 0.1 * np.arange(40)
    assert len(trial_windows(clean, 20)) == len(synthetic) + 2
    bad = clean.copy()
    bad[-1] = np.inf  # only the newest window holds it
    assert len(trial_windows(bad, 20)) == len(synthetic) + 1
    assert len(trial_windows(None, 20)) == len(synthetic)
    assert len(trial_windows(clean[:10], 20)) == len(synthetic)
