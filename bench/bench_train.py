"""Benchmark: full train and fine-tune on the full bundled MSFT history (1986-2017), on a
fresh SQLite database and a fresh MLflow sqlite store in a temp folder.

Prints wall times (including MLflow logging and registration), peak RSS, the walk-forward
evaluation table (LSTM, naive and drift, h1 and h5, last 250 trading days: rel_mae, Hyndman's
MASE with its scale, direction on the days the close moved beside the always-up base rate and a
Pesaran-Timmermann p-value, one-sided Diebold-Mariano p-values against naive and drift), the
band table when the document has one, and the gate's reasons.
Targets on 2 cores: full train < 60 s, fine-tune < 10 s.

    python bench/bench_train.py
"""

import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import logging
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, insert

from nn_estimator.config import TrainConfig
from nn_estimator.usecases.train import TrainingOutcome, train_and_register
from stock_db import create_db_engine, ensure_schema, prices

SAMPLE = Path(__file__).resolve().parents[1] / "2_load_data/load_data/data/msft_daily.csv.gz"
TARGETS = {"full train": 60.0, "fine-tune": 10.0}


def sample_database(folder: Path, ticker: str = "MSFT") -> Engine:
    """A SQLite suite database holding the whole bundled sample."""
    engine = create_db_engine(f"sqlite:///{folder / 'suite.db'}")
    ensure_schema(engine)
    frame = pd.read_csv(SAMPLE, parse_dates=["date"])
    frame["date"] = frame["date"].dt.date
    frame = frame.assign(ticker=ticker, source="sample", loaded_at=datetime.now(UTC))
    with engine.begin() as connection:
        connection.execute(insert(prices), frame.to_dict("records"))  # type: ignore[arg-type]
    return engine


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _f(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if value >= 0.001 else f"{value:.0e}"


def evaluation_table(outcome: TrainingOutcome) -> str:
    document = outcome.metrics
    scale = document["mase_scale"]
    lines = [
        f"walk-forward {document['eval_start']}..{document['eval_end']} "
        f"({document['n_eval_days']} days), {outcome.model_name} v{outcome.version}; MASE scale "
        f"{scale['value']:.4f} = mean |close[t] - close[t-1]| over {scale['start']}..{scale['end']}"
        f" ({scale['n']} changes); drift = mean training log return "
        f"{document['drift_mean_log_return']:.6f} a day",
        "| h | model | MAE | RMSE | MAPE % | rel_mae | mase | direction (days moved) | always up "
        "| PT p | DM p vs naive | DM p vs drift | coverage |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for h, block in document["horizons"].items():
        for who in ("lstm", "naive", "drift"):
            m = block[who]
            coverage = f"{block['coverage']:.3f}" if who == "lstm" else ""
            lines.append(
                f"| {h} | {who} | {m['mae']:.4f} | {m['rmse']:.4f} | {m['mape']:.3f} | "
                f"{_f(m['rel_mae'], 4)} | {_f(m['mase'], 4)} | "
                f"{_f(m['direction_accuracy'], 3)} ({m['direction_n']}) | "
                f"{_f(m['direction_always_up'], 3)} | {_p(m['direction_pt_p_value'])} | "
                f"{_p(m.get('dm_vs_naive_p_better'))} | {_p(m.get('dm_vs_drift_p_better'))} | "
                f"{coverage} |"
            )
    return "\n".join(lines)


def band_table(outcome: TrainingOutcome) -> str:
    """The band block (coverage, width, Winkler) per horizon, when the document has one."""
    lines = [
        "| h | band | nominal | coverage | width % | Winkler % |",
        "|---|---|---|---|---|---|",
    ]
    for h, block in outcome.metrics["horizons"].items():
        band = block.get("band")
        if band is None:
            return ""
        for who in ("lstm", "naive"):
            if who in band:
                b = band[who]
                lines.append(
                    f"| {h} | {who} | {band['nominal']:.2f} | {b['coverage']:.3f} | "
                    f"{b['width_pct']:.3f} | {b['winkler_pct']:.3f} |"
                )
    return "\n".join(lines)


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mlflow.pytorch").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-train-") as scratch:
        folder = Path(scratch)
        engine = sample_database(folder)
        tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
        config = TrainConfig()

        started = time.perf_counter()
        full = train_and_register("MSFT", engine, tracking_uri, config)
        full_seconds = time.perf_counter() - started
        started = time.perf_counter()
        tuned = train_and_register("MSFT", engine, tracking_uri, config, fine_tune=True)
        tune_seconds = time.perf_counter() - started
        engine.dispose()

    rows = [("full train", full_seconds, full), ("fine-tune", tune_seconds, tuned)]
    print(f"bench_train: {os.cpu_count()} cores, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    print("| run | seconds | target | epochs | promoted | gate p | h1 rel_mae | h5 rel_mae |")
    print("|---|---|---|---|---|---|---|---|")
    for label, seconds, outcome in rows:
        h = outcome.metrics["horizons"]
        print(
            f"| {label} | {seconds:.1f} | < {TARGETS[label]:.0f} | {outcome.epochs_run} | "
            f"{outcome.promoted} | {_p(outcome.gate['p_value'])} | "
            f"{h['1']['lstm']['rel_mae']:.4f} | {h['5']['lstm']['rel_mae']:.4f} |"
        )
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")
    print()
    print(evaluation_table(full))
    print()
    print(band_table(full))
    print()
    print("full train gate:\n  " + "\n  ".join(full.reasons))
    print("fine-tune gate:\n  " + "\n  ".join(tuned.reasons))
    print()
    print(evaluation_table(tuned))
    rel_mae = full.metrics["horizons"]["1"]["lstm"]["rel_mae"]
    if rel_mae < 0.9:
        print(
            f"WARNING: h1 rel_mae {rel_mae:.3f} is far below 1: suspect leakage before celebrating"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
