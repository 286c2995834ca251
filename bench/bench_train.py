"""Benchmark: full train and fine-tune on the full bundled MSFT history (1986-2017), on a
fresh SQLite database and a fresh MLflow sqlite store in a temp folder.

Prints wall times (including MLflow logging and registration), peak RSS, and the
walk-forward evaluation table (LSTM vs naive, h1 and h5, last 250 trading days).
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


def evaluation_table(outcome: TrainingOutcome) -> str:
    document = outcome.metrics
    lines = [
        f"walk-forward {document['eval_start']}..{document['eval_end']} "
        f"({document['n_eval_days']} days), {outcome.model_name} v{outcome.version}",
        "| h | model | MAE | RMSE | MAPE % | MASE | dir. acc. | 90% band coverage |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for h, block in document["horizons"].items():
        for who in ("lstm", "naive"):
            m = block[who]
            coverage = f"{block['coverage']:.3f}" if who == "lstm" else ""
            lines.append(
                f"| {h} | {who} | {m['mae']:.4f} | {m['rmse']:.4f} | {m['mape']:.3f} | "
                f"{m['mase']:.4f} | {m['directional_accuracy']:.3f} | {coverage} |"
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
    print("| run | seconds | target | epochs | promoted | h1 MASE | h5 MASE |")
    print("|---|---|---|---|---|---|---|")
    for label, seconds, outcome in rows:
        h = outcome.metrics["horizons"]
        print(
            f"| {label} | {seconds:.1f} | < {TARGETS[label]:.0f} | {outcome.epochs_run} | "
            f"{outcome.promoted} | {h['1']['lstm']['mase']:.4f} | {h['5']['lstm']['mase']:.4f} |"
        )
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")
    print()
    print(evaluation_table(full))
    print()
    print("fine-tune gate: " + "; ".join(tuned.reasons))
    print(evaluation_table(tuned))
    mase = full.metrics["horizons"]["1"]["lstm"]["mase"]
    if mase < 0.9:
        print(f"WARNING: h1 MASE {mase:.3f} is far below 1: suspect leakage before celebrating")
    return 0


if __name__ == "__main__":
    sys.exit(main())
