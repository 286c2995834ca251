"""Benchmark: the prediction band on a calm and a volatile holdout of the bundled MSFT sample.

calm      trained on everything before 2016-11-15, evaluated on the last 250 days (to 2017-11-10)
volatile  trained on everything up to 2007-12-31, evaluated on 2008

For each, the default configuration is fitted (no database, no MLflow) and three bands are
scored on the same holdout days: the model's band (split-conformal, scaled by the window's
volatility), the same recipe around the naive forecast, and the fixed band the model used before
(5% / 95% empirical quantiles of the validation errors, blind to the current volatility).
Columns: coverage against the nominal, mean width and mean Winkler (interval) score, both in
percent of the actual close. Targets: coverage within 3 points of nominal at h=1 and h=5 on the
calm holdout, within 5 on the volatile one, and a narrower band than the fixed one on the calm one.

    python bench/bench_band.py
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from nn_estimator.adapters.artifact import forward_numpy
from nn_estimator.config import TrainConfig
from nn_estimator.domain.band import band_scores, naive_band_forecast
from nn_estimator.domain.evaluation import HorizonForecasts, walk_forward
from nn_estimator.domain.fitting import fit
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.domain.windowing import (
    Split,
    chronological_split,
    input_windows,
    target_returns,
    window_origins,
)

SAMPLE = Path(__file__).resolve().parents[1] / "2_load_data/load_data/data/msft_daily.csv.gz"
TOLERANCE = {"calm": 0.03, "volatile": 0.05}


@dataclass(frozen=True)
class Scenario:
    name: str
    last_day: str  # the series ends here
    first_eval_day: str  # the holdout starts here


SCENARIOS = (
    Scenario("calm", "2017-11-10", "2016-11-15"),
    Scenario("volatile", "2008-12-31", "2008-01-01"),
)


def fixed_band(
    model: LSTMForecaster,
    closes: np.ndarray,
    split: Split,
    config: TrainConfig,
    holdout: dict[int, HorizonForecasts],
) -> dict[int, HorizonForecasts]:
    """The band before issue 11: 5% / 95% empirical quantiles of the validation errors of the
    cumulative log return, added to the point whatever the volatility."""
    L, H = config.input_length, config.max_horizon
    origins = window_origins(split.val_start, split.eval_start - 1, L, H)
    windows = torch.from_numpy(input_windows(closes, origins, L).astype(np.float32))
    with torch.no_grad():
        predicted = model.cumulative_log_returns(windows).numpy().astype(np.float64)
    errors = np.cumsum(target_returns(closes, origins, H), axis=1) - predicted
    tail = (1.0 - config.interval) / 2.0
    low, high = np.quantile(errors, tail, axis=0), np.quantile(errors, 1.0 - tail, axis=0)
    result = {}
    for h, f in holdout.items():
        lower = f.point * np.exp(min(low[h - 1], 0.0))
        upper = f.point * np.exp(max(high[h - 1], 0.0))
        result[h] = HorizonForecasts(h, f.target_index, f.last, f.actual, f.point, lower, upper)
    return result


def run(scenario: Scenario, frame: pd.DataFrame, config: TrainConfig) -> list[str]:
    frame = frame[frame["date"] <= scenario.last_day]
    closes = frame["close"].to_numpy(dtype=np.float64)
    eval_days = int((frame["date"] >= scenario.first_eval_day).sum())
    config = config.with_overrides(eval_days=eval_days)
    split = chronological_split("MSFT", len(closes), config)
    started = time.perf_counter()
    model = fit(closes, split, config).model
    seconds = time.perf_counter() - started

    def lstm(windows: np.ndarray) -> np.ndarray:
        return forward_numpy(model, windows).astype(np.float64)

    L = config.input_length
    bands = {
        "lstm (adaptive)": walk_forward(lstm, closes, split.eval_start, L),
        "naive (adaptive)": walk_forward(
            naive_band_forecast(model, closes, split.val_start, split.eval_start, config.interval),
            closes,
            split.eval_start,
            L,
        ),
    }
    bands["lstm (fixed, before)"] = fixed_band(
        model, closes, split, config, bands["lstm (adaptive)"]
    )
    dates = frame["date"].to_numpy()
    print(
        f"{scenario.name}: train {dates[split.train_start]}..{dates[split.val_start - 1]}, "
        f"validation {dates[split.val_start]}..{dates[split.eval_start - 1]}, "
        f"holdout {dates[split.eval_start]}..{dates[-1]} ({eval_days} days); fit {seconds:.1f} s"
    )
    rows = []
    for label, forecasts in bands.items():
        cells = []
        for h in (1, 5):
            f = forecasts[h]
            s = band_scores(f.lower, f.upper, f.actual, config.interval)
            miss = abs(s["coverage"] - config.interval) > TOLERANCE[scenario.name]
            flag = " (!)" if miss and label == "lstm (adaptive)" else ""
            cells.append(
                f"{s['coverage']:.3f}{flag} | {s['width_pct']:.2f} | {s['winkler_pct']:.2f}"
            )
        rows.append(f"| {scenario.name} | {label} | " + " | ".join(cells) + " |")
    return rows


def main() -> int:
    frame = pd.read_csv(SAMPLE, dtype={"date": str})
    config = TrainConfig()
    print(
        f"bench_band: nominal {config.interval}, window {config.input_length}, "
        f"max_train_days {config.max_train_days}, seed {config.seed}"
    )
    rows = [row for scenario in SCENARIOS for row in run(scenario, frame, config)]
    print()
    print(
        "| holdout | band | h1 coverage | h1 width % | h1 Winkler % "
        "| h5 coverage | h5 width % | h5 Winkler % |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("(!) = the model's band misses the target (3 points calm, 5 points volatile)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
