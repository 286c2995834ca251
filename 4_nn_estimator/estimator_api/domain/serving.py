"""Pure rules of what may be served: the gate check of a registry version against the `models`
table, the order of fall-back candidates, and the windows a new model is tried on before it is
swapped in. No I/O, no torch."""

from typing import Any

import numpy as np

from nn_estimator.adapters.registry import ChampionRef

# Statuses of the `models` table (written by the model package's gate).
CHAMPION_STATUS = "champion"
RETIRED_STATUS = "retired"
# A stored window is used to try a model only if no close moved by more than this factor from
# one day to the next (a bad row, not a market move): real prices never need it to be larger.
MAX_DAILY_FACTOR = 10.0


def ref_of(record: dict[str, Any]) -> ChampionRef:
    """The registry reference of a `models` row (name, version and run are recorded there)."""
    return ChampionRef(
        name=str(record["name"]), version=int(record["version"]), run_id=str(record["run_id"])
    )


def gate_refusal(ref: ChampionRef, record: dict[str, Any] | None) -> tuple[str, str] | None:
    """Why the alias' version must not be served, as (reason label, message), or None when the
    `models` table records it as the gate's champion. The registry has no authentication: the
    table, written only by the gate, is what decides."""
    if record is None:
        return "not_recorded", "not in the models table (the gate never judged it)"
    if record.get("status") != CHAMPION_STATUS:
        return (
            "not_champion",
            f"the models table records it as {record.get('status')!r}, not 'champion'",
        )
    if str(record.get("run_id")) != ref.run_id:
        return (
            "run_mismatch",
            f"its registry run {ref.run_id} is not the recorded run {record.get('run_id')}",
        )
    return None


def is_plausible_window(window: np.ndarray) -> bool:
    """Finite closes above zero with no day-to-day jump beyond MAX_DAILY_FACTOR."""
    if window.ndim != 1 or len(window) == 0:
        return False
    if not np.all(np.isfinite(window)) or np.any(window <= 0):
        return False
    with np.errstate(all="ignore"):
        ratios = window[1:] / window[:-1]
    return bool(
        np.all(np.isfinite(ratios))
        and np.all(ratios <= MAX_DAILY_FACTOR)
        and np.all(ratios >= 1.0 / MAX_DAILY_FACTOR)
    )


def synthetic_windows(input_length: int) -> np.ndarray:
    """Price paths every servable model must map to finite forecasts: rising, falling, flat
    and choppy, at low and high price levels (the model works on returns, so levels should not
    matter; these prove it)."""
    steps = np.arange(input_length, dtype=np.float64)
    ramp = np.exp(np.linspace(0.0, 0.05, input_length))
    choppy = np.exp(0.02 * np.where(steps % 2 == 0, 1.0, -1.0))
    shapes = [ramp, ramp[::-1], np.ones(input_length), choppy]
    return np.stack([level * shape for level in (100.0, 1.0, 5000.0) for shape in shapes])


def trial_windows(closes: np.ndarray | None, input_length: int) -> np.ndarray:
    """The windows a new model is tried on before the swap: the synthetic paths, plus the
    newest stored window (and one five closes older) when they are plausible prices. Stored
    data that is bad never makes a good model unservable: history requests do not use it."""
    windows = [synthetic_windows(input_length)]
    if closes is not None:
        for end in (len(closes), len(closes) - 5):
            if end >= input_length:
                window = np.asarray(closes[end - input_length : end], dtype=np.float64)
                if is_plausible_window(window):
                    windows.append(window[np.newaxis, :])
    return np.concatenate(windows)
