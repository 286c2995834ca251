"""How many unseen sessions the gate needs before a fine-tune can be judged: the number behind
1_shepherd's FINE_TUNE_AFTER_SESSIONS.

The gate promotes a candidate only when a one-sided Diebold-Mariano test on the per-day h=1
absolute errors says it beats the champion (p < 0.05) by at least 1% of MAE. With d_t the
champion's minus the candidate's absolute error, the test needs about
    n = ((z_0.95 + z_power) * sd(d) / (0.01 * MAE))^2
days to detect a true 1% gain with the given power. sd(d) depends on how alike the two models'
errors are, so it is measured here on the bundled sample's holdout (default configuration) for
the two pairs the shepherd meets: a champion and its fine-tune, and two full trainings with
different seeds. Runs in under a minute; no MLflow, no database.

    python bench/bench_gate_power.py
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import walk_forward
from nn_estimator.domain.fitting import fit
from nn_estimator.domain.windowing import chronological_split
from nn_estimator.usecases.scoring import eager_forecast

SAMPLE = Path(__file__).resolve().parents[1] / "2_load_data/load_data/data/msft_daily.csv.gz"
GAIN = 0.01  # the gate's minimum relative MAE improvement
ALPHA = 0.05  # the gate's significance level
POWERS = (0.5, 0.8)


def h1_abs_errors(model: object, closes: np.ndarray, eval_start: int, length: int) -> np.ndarray:
    forecast = walk_forward(eager_forecast(model), closes, eval_start, length, (1,))[1]  # type: ignore[arg-type]
    return np.abs(forecast.point - forecast.actual)


def sessions_needed(champion: np.ndarray, candidate: np.ndarray, power: float) -> int:
    spread = float(np.std(champion - candidate, ddof=1))
    effect = GAIN * float(np.mean(champion))
    z = stats.norm.ppf(1 - ALPHA) + stats.norm.ppf(power)
    return math.ceil((z * spread / effect) ** 2)


def main() -> None:
    closes = pd.read_csv(SAMPLE)["close"].to_numpy(dtype=np.float64)
    config = TrainConfig()
    split = chronological_split("MSFT", len(closes), config)
    champion = fit(closes, split, config).model
    tuned = fit(closes, split, config, warm_start=champion).model
    other_seed = fit(closes, split, config.with_overrides(seed=config.seed + 3)).model
    errors = {
        name: h1_abs_errors(model, closes, split.eval_start, config.input_length)
        for name, model in (("champion", champion), ("fine-tune", tuned), ("seed", other_seed))
    }
    print(f"holdout: {len(errors['champion'])} sessions; gain {GAIN:.0%} of MAE at p < {ALPHA}")
    print("| pair | MAE champion | sd(d) / MAE | " + " | ".join(f"n at power {p}" for p in POWERS))
    print("|---|---|---|" + "---|" * len(POWERS))
    for label, other in (("champion vs its fine-tune", "fine-tune"), ("two seeds", "seed")):
        base, candidate = errors["champion"], errors[other]
        ratio = float(np.std(base - candidate, ddof=1) / np.mean(base))
        needed = " | ".join(str(sessions_needed(base, candidate, p)) for p in POWERS)
        print(f"| {label} | {np.mean(base):.4f} | {ratio:.4f} | {needed} |")


if __name__ == "__main__":
    main()
