"""`python -m nn_estimator train | study | bootstrap`: wires settings, database and MLflow to
the training pipeline, with a rich progress bar per epoch and a summary table.

Importing this module changes nothing and loads neither torch nor MLflow: `main()` sets the
environment MLflow reads, and each command imports the pipeline it runs."""

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nn_estimator.config import QUICK_CONFIG, Settings, TrainConfig
from nn_estimator.errors import ForecasterError
from stock_db.logs import configure_logging
from stock_db.numbers import without_non_finite

if TYPE_CHECKING:
    from nn_estimator.domain.fitting import EpochCallback
    from nn_estimator.usecases.train import TrainingOutcome

EXIT_USAGE = 2


def make_console(stderr: bool = False) -> Console:
    """Progress and tables: on stdout, or on stderr when stdout carries the --json line."""
    made = Console(stderr=stderr)
    if not made.is_terminal:  # piped or captured: keep the tables' columns whole
        made.width = 200
    return made


console = make_console()

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
        "walk-forward on the last --eval-days trading days against the naive and drift "
        "forecasts, register it as lstm-<TICKER> and promote it to alias 'champion' only "
        "through the gate: not significantly worse than naive and, when there is a champion, "
        "significantly better than it (one-sided Diebold-Mariano, p below --gate-p, by at "
        "least --gate-min-gain relative MAE at h=1, no significant loss at h=5) on the "
        "days neither trained on.",
    )
    train.add_argument("--ticker", required=True, help="ticker symbol already loaded, e.g. MSFT")
    train.add_argument("--fine-tune", action="store_true", help="warm-start from the champion")
    train.add_argument(
        "--json",
        action="store_true",
        help="print one JSON line with the result on stdout (ticker, model_name, version, "
        "promoted, reasons, gate, train_end, seconds); progress and table go to stderr",
    )
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
        "--interval",
        type=open_unit_interval,
        help=f"nominal coverage of the prediction band (default {defaults.interval})",
    )
    parser.add_argument(
        "--margin",
        type=float,
        help="gate: relative MAE vs naive may exceed 1 by at most this "
        f"(default {defaults.gate_margin})",
    )
    parser.add_argument(
        "--gate-p",
        type=float,
        help=f"gate: significance level of the Diebold-Mariano tests (default {defaults.gate_p})",
    )
    parser.add_argument(
        "--gate-min-gain",
        type=float,
        help="gate: relative h=1 MAE improvement over the champion required "
        f"(default {defaults.gate_min_gain})",
    )


def open_unit_interval(text: str) -> float:
    """A probability strictly between 0 and 1 (argparse type), e.g. the band's coverage."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not strictly between 0 and 1")
    return value


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
        interval=args.interval,
        gate_margin=args.margin,
        gate_p=args.gate_p,
        gate_min_gain=args.gate_min_gain,
    )


@contextmanager
def epoch_progress(label: str, out: Console | None = None) -> Iterator["EpochCallback"]:
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        TextColumn("epoch {task.completed}/{task.total}"),
        TextColumn("{task.fields[losses]}"),
        TimeElapsedColumn(),
        console=out or console,
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


def _number(value: Any, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _pvalue(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def summary_table(outcome: "TrainingOutcome") -> Table:
    document = outcome.metrics
    scale = document.get("mase_scale") or {}
    table = Table(
        title=f"{outcome.model_name} v{outcome.version} - walk-forward on "
        f"{document['eval_start']}..{document['eval_end']} ({document['n_eval_days']} days)",
        caption="rel MAE = MAE / naive MAE on the same days; MASE = MAE / "
        f"{_number(scale.get('value'), 4)} (mean |one-day change| {scale.get('start')}.."
        f"{scale.get('end')}); direction on days the close moved (n), beside always 'up'; "
        "PT = Pesaran-Timmermann p; DM = one-sided Diebold-Mariano p that the model is better",
    )
    columns = (
        "h",
        "model",
        "MAE",
        "RMSE",
        "MAPE %",
        "rel MAE",
        "MASE",
        "dir. acc.",
        "always up",
        "n",
        "PT p",
        "DM p vs naive",
        "DM p vs drift",
        "coverage",
    )
    for column in columns:
        table.add_column(column, justify="right")
    for h, block in document["horizons"].items():
        for who in ("lstm", "naive", "drift"):
            if who not in block:
                continue
            m = block[who]
            table.add_row(
                h,
                who,
                f"{m['mae']:.4f}",
                f"{m['rmse']:.4f}",
                f"{m['mape']:.3f}",
                _number(m.get("rel_mae"), 4),
                _number(m.get("mase"), 4),
                _number(m.get("direction_accuracy"), 3),
                _number(m.get("direction_always_up"), 3),
                str(m.get("direction_n", "")),
                _pvalue(m.get("direction_pt_p_value")),
                _pvalue(m.get("dm_vs_naive_p_better")),
                _pvalue(m.get("dm_vs_drift_p_better")),
                f"{block['coverage']:.3f}" if who == "lstm" else "",
            )
    return table


def result_line(outcome: "TrainingOutcome") -> str:
    """The --json result: one line, no NaN (a figure that cannot be computed is null)."""
    document = {
        "ticker": outcome.ticker,
        "model_name": outcome.model_name,
        "version": outcome.version,
        "promoted": outcome.promoted,
        "reasons": list(outcome.reasons),
        "gate": outcome.gate,
        "train_end": outcome.train_end.isoformat(),
        "seconds": round(outcome.seconds, 3),
        "fine_tune": outcome.fine_tune,
        "run_id": outcome.run_id,
    }
    return json.dumps(without_non_finite(document), allow_nan=False, separators=(",", ":"))


def _train(args: argparse.Namespace, settings: Settings) -> None:
    from nn_estimator.usecases.train import train_and_register
    from stock_db import create_db_engine

    out = make_console(stderr=True) if args.json else console
    config = config_from(args, TrainConfig())
    engine = create_db_engine(settings.database_url)
    label = f"{'fine-tune' if args.fine_tune else 'train'} {args.ticker.upper()}"
    with epoch_progress(label, out) as on_epoch:
        outcome = train_and_register(
            args.ticker,
            engine,
            settings.mlflow_tracking_uri,
            config,
            fine_tune=args.fine_tune,
            on_epoch=on_epoch,
        )
    _report(outcome, out)
    if args.json:
        print(result_line(outcome), flush=True)


def _report(outcome: "TrainingOutcome", out: Console | None = None) -> None:
    out = out or console
    out.print(summary_table(outcome))
    verdict = (
        "[green]promoted to champion" if outcome.promoted else "[yellow]rejected (stays registered)"
    )
    out.print(f"{outcome.model_name} v{outcome.version}: {verdict}[/] in {outcome.seconds:.1f} s")
    for reason in outcome.reasons:
        out.print(f"  - {reason}")


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
    table = Table(
        title=f"study lstm-{args.ticker.upper()}-study (ranked by validation rel. MAE h1)"
    )
    for column in (
        "train from",
        "window",
        "hidden",
        "layers",
        "dropout",
        "lr",
        "epochs",
        "val rel. MAE h1",
        "holdout rel. MAE h1",
        "holdout rel. MAE h5",
        "coverage h1",
        "coverage h5",
        "seconds",
    ):
        table.add_column(column, justify="right")
    for r in rows:
        c = r.config
        table.add_row(
            r.train_start,
            str(c.input_length),
            str(c.hidden_size),
            str(c.num_layers),
            str(c.dropout),
            str(c.learning_rate),
            str(r.epochs),
            f"{r.val_rel_mae_h1:.4f}",
            f"{r.eval_rel_mae_h1:.4f}",
            f"{r.eval_rel_mae_h5:.4f}",
            f"{r.eval_coverage_h1:.3f}",
            f"{r.eval_coverage_h5:.3f}",
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
