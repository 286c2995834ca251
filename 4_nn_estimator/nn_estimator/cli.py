"""`python -m nn_estimator train | study | bootstrap`: wires settings, database and MLflow to
the training pipeline, with a rich progress bar per epoch and a summary table.

Importing this module changes nothing and loads neither torch nor MLflow: `main()` sets the
environment MLflow reads, and each command imports the pipeline it runs."""

import argparse
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nn_estimator.config import QUICK_CONFIG, Settings, TrainConfig
from nn_estimator.errors import ForecasterError
from stock_db.logs import configure_logging

if TYPE_CHECKING:
    from nn_estimator.domain.fitting import EpochCallback
    from nn_estimator.usecases.train import TrainingOutcome

console = Console()
if not console.is_terminal:  # piped or captured: keep the tables' columns whole
    console.width = 160
EXIT_USAGE = 2

EPILOG = """environment:
  DATABASE_URL         shared database (default sqlite:///var/suite.db)
  MLFLOW_TRACKING_URI  tracking + registry store (default sqlite:///var/mlflow.db)
  TICKERS              tickers for `bootstrap` (default MSFT)

examples:
  python -m nn_estimator train --ticker MSFT
  python -m nn_estimator train --ticker MSFT --fine-tune
  python -m nn_estimator study --ticker MSFT
  python -m nn_estimator bootstrap
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nn_estimator",
        description="Train, evaluate (walk-forward vs the naive forecast), register and "
        "promote the LSTM forecaster through the gate.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train (or fine-tune) one ticker, register it, promote only through the gate",
        description="Train a new model on all history before the holdout (or, with "
        "--fine-tune, warm-start from the champion on the newest data), evaluate it "
        "walk-forward on the last --eval-days trading days against the naive forecast, "
        "register it as lstm-<TICKER> and promote it to alias 'champion' only if it beats "
        "the current champion on days neither trained on.",
    )
    train.add_argument("--ticker", required=True, help="ticker symbol already loaded, e.g. MSFT")
    train.add_argument("--fine-tune", action="store_true", help="warm-start from the champion")
    _add_config_arguments(train)

    study = commands.add_parser(
        "study",
        help="run the hyper-parameter grid as experiment lstm-<TICKER>-study",
        description="One MLflow run per configuration; ranked by validation MASE (the "
        "holdout is reported, never used to choose). Registers nothing.",
    )
    study.add_argument("--ticker", default="MSFT", help="ticker symbol (default MSFT)")
    _add_config_arguments(study)

    commands.add_parser(
        "bootstrap",
        help="train a first champion (quick config) for every TICKERS ticker without one",
        description="For each ticker in TICKERS without a champion, run a quick full train. "
        "Tickers that already have a champion are skipped.",
    )
    return parser


def _add_config_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = TrainConfig()
    parser.add_argument(
        "--epochs",
        type=int,
        help=f"max epochs (default {defaults.max_epochs}; fine-tune: {defaults.fine_tune_epochs})",
    )
    parser.add_argument(
        "--window", type=int, help=f"input closes (default {defaults.input_length})"
    )
    parser.add_argument(
        "--hidden", type=int, help=f"LSTM hidden size (default {defaults.hidden_size})"
    )
    parser.add_argument(
        "--eval-days", type=int, help=f"holdout days (default {defaults.eval_days})"
    )
    parser.add_argument(
        "--val-days", type=int, help=f"validation days (default {defaults.val_days})"
    )
    parser.add_argument("--seed", type=int, help=f"random seed (default {defaults.seed})")
    parser.add_argument(
        "--margin",
        type=float,
        help=f"gate: allowed MASE above naive (default {defaults.gate_margin})",
    )


def config_from(args: argparse.Namespace, base: TrainConfig) -> TrainConfig:
    epochs = args.epochs
    return base.with_overrides(
        max_epochs=epochs,
        fine_tune_epochs=epochs if getattr(args, "fine_tune", False) else None,
        input_length=args.window,
        hidden_size=args.hidden,
        eval_days=args.eval_days,
        val_days=args.val_days,
        seed=args.seed,
        gate_margin=args.margin,
    )


@contextmanager
def epoch_progress(label: str) -> Iterator["EpochCallback"]:
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        TextColumn("epoch {task.completed}/{task.total}"),
        TextColumn("{task.fields[losses]}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(label, total=None, losses="")

        def on_epoch(epoch: int, total: int, train_loss: float, val_loss: float) -> None:
            progress.update(
                task,
                completed=epoch,
                total=total,
                losses=f"train {train_loss:.4f} val {val_loss:.4f}",
            )

        yield on_epoch


def summary_table(outcome: "TrainingOutcome") -> Table:
    document = outcome.metrics
    table = Table(
        title=f"{outcome.model_name} v{outcome.version} - walk-forward on "
        f"{document['eval_start']}..{document['eval_end']} ({document['n_eval_days']} days)"
    )
    for column in ("horizon", "model", "MAE", "RMSE", "MAPE %", "MASE", "dir. acc.", "coverage"):
        table.add_column(column, justify="right")
    for h, block in document["horizons"].items():
        for who in ("lstm", "naive"):
            m = block[who]
            table.add_row(
                h,
                who,
                f"{m['mae']:.4f}",
                f"{m['rmse']:.4f}",
                f"{m['mape']:.3f}",
                f"{m['mase']:.4f}",
                f"{m['directional_accuracy']:.3f}",
                f"{block['coverage']:.3f}" if who == "lstm" else "",
            )
    return table


def _train(args: argparse.Namespace, settings: Settings) -> None:
    from nn_estimator.usecases.train import train_and_register
    from stock_db import create_db_engine

    config = config_from(args, TrainConfig())
    engine = create_db_engine(settings.database_url)
    label = f"{'fine-tune' if args.fine_tune else 'train'} {args.ticker.upper()}"
    with epoch_progress(label) as on_epoch:
        outcome = train_and_register(
            args.ticker,
            engine,
            settings.mlflow_tracking_uri,
            config,
            fine_tune=args.fine_tune,
            on_epoch=on_epoch,
        )
    _report(outcome)


def _report(outcome: "TrainingOutcome") -> None:
    console.print(summary_table(outcome))
    verdict = (
        "[green]promoted to champion" if outcome.promoted else "[yellow]rejected (stays registered)"
    )
    console.print(
        f"{outcome.model_name} v{outcome.version}: {verdict}[/] in {outcome.seconds:.1f} s"
    )
    for reason in outcome.reasons:
        console.print(f"  - {reason}")


def _study(args: argparse.Namespace, settings: Settings) -> None:
    from nn_estimator.usecases.study import run_study
    from stock_db import create_db_engine

    base = config_from(args, TrainConfig())
    engine = create_db_engine(settings.database_url)

    def announce(number: int, total: int, config: TrainConfig) -> None:
        console.print(
            f"[{number}/{total}] window {config.input_length} hidden "
            f"{config.hidden_size} layers {config.num_layers} dropout "
            f"{config.dropout} lr {config.learning_rate}"
        )

    rows = run_study(args.ticker, engine, settings.mlflow_tracking_uri, base, on_config=announce)
    table = Table(title=f"study lstm-{args.ticker.upper()}-study (ranked by validation MASE h1)")
    for column in (
        "window",
        "hidden",
        "layers",
        "dropout",
        "lr",
        "epochs",
        "val MASE h1",
        "holdout MASE h1",
        "holdout MASE h5",
        "coverage h1",
        "seconds",
    ):
        table.add_column(column, justify="right")
    for r in rows:
        c = r.config
        table.add_row(
            str(c.input_length),
            str(c.hidden_size),
            str(c.num_layers),
            str(c.dropout),
            str(c.learning_rate),
            str(r.epochs),
            f"{r.val_mase_h1:.4f}",
            f"{r.eval_mase_h1:.4f}",
            f"{r.eval_mase_h5:.4f}",
            f"{r.eval_coverage_h1:.3f}",
            f"{r.seconds:.1f}",
        )
    console.print(table)


def _bootstrap(settings: Settings) -> None:
    from nn_estimator.adapters import tracking
    from nn_estimator.adapters.registry import champion
    from nn_estimator.usecases.train import train_and_register
    from stock_db import create_db_engine

    tracking.check_reachable(settings.mlflow_tracking_uri)
    engine = create_db_engine(settings.database_url)
    for ticker in settings.tickers:
        existing = champion(ticker, settings.mlflow_tracking_uri)
        if existing is not None:
            console.print(f"{ticker}: champion {existing.name} v{existing.version} exists, skipped")
            continue
        with epoch_progress(f"bootstrap {ticker}") as on_epoch:
            outcome = train_and_register(
                ticker, engine, settings.mlflow_tracking_uri, QUICK_CONFIG, on_epoch=on_epoch
            )
        _report(outcome)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Before MLflow is first imported (by the command): no telemetry look-up from a CLI run.
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    configure_logging(logging.WARNING)
    # MLflow warns on every pickle-format save; the choice is deliberate (see README).
    logging.getLogger("mlflow.pytorch").setLevel(logging.ERROR)
    settings = Settings()
    try:
        if args.command == "train":
            _train(args, settings)
        elif args.command == "study":
            _study(args, settings)
        else:
            _bootstrap(settings)
    except ForecasterError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return 0
