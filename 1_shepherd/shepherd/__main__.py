"""Command line: `python -m shepherd [serve]` (scheduler + HTTP face) and
`python -m shepherd run-once` (one cycle now, for system cron or a Kubernetes CronJob)."""

import argparse
import logging
import sys

from shepherd.config import Settings
from stock_db.logs import configure_logging
from stock_db.rules import InvalidField, normalise_ticker

EXIT_OK = 0
EXIT_FAILED = 1  # a cycle failed (or could not be recorded); the others still ran

EPILOG = """environment (see 1_shepherd/README.md for all of them):
  DATABASE_URL, TICKERS, ADMIN_TOKEN                  the suite's
  LOAD_DATA_URL, ESTIMATOR_URL, METRICS_URL           where the other services are
  MLFLOW_TRACKING_URI                                 handed to the training child process
  SHEPHERD_SCHEDULE                                   crontab in the exchange's zone, or off
  FINE_TUNE_AFTER_SESSIONS, RETRAIN_AFTER_DAYS        when to train
  SHEPHERD_TRAIN_ARGS                                 extra `nn_estimator train` options

examples:
  python -m shepherd                                  # same as `serve`
  python -m shepherd run-once --ticker MSFT
  # crontab, 18:05 New York time on weekdays (CRON_TZ is cronie's; else convert to UTC):
  CRON_TZ=America/New_York
  5 18 * * 1-5  cd /srv/suite && .venv/bin/python -m shepherd run-once >> var/shepherd.log 2>&1
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m shepherd",
        description="1_shepherd: keeps every ticker in TICKERS fresh. A cycle per ticker: "
        "count the exchange sessions missing since the newest stored close; load them "
        "through 2_load_data; decide (fine-tune, retrain or nothing); train in a child "
        "process, promote only through the gate, make the api reload and check it serves "
        "the new version. Every cycle is a pipeline_runs row.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="the scheduler and the HTTP face in one process (the default command)",
        description="Run the HTTP face (GET /health, /runs, /schedule; POST /runs) with "
        "uvicorn; its start-up starts the scheduler (SHEPHERD_SCHEDULE, in the exchange's "
        "time zone; 'off' leaves only POST /runs).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8004, help="port (default 8004)")
    once = commands.add_parser(
        "run-once",
        help="run one cycle per ticker now, print a one-line summary, exit",
        description="Run one cycle now for each ticker (all of TICKERS unless --ticker is "
        "given), one after another, and print a one-line summary. Exit status 0 when every "
        "cycle succeeded, had nothing to do, was refused by the gate or found another cycle "
        "of its ticker running ('locked'); 1 when any failed.",
    )
    once.add_argument(
        "--ticker",
        action="append",
        metavar="TICKER",
        help="only this ticker (repeatable; each must be in TICKERS). Default: every ticker "
        "in TICKERS",
    )
    once.add_argument(
        "--force",
        action="store_true",
        help="go on even when no session is missing, and fine-tune even when fewer new "
        "sessions than FINE_TUNE_AFTER_SESSIONS arrived (a retrain still happens when the "
        "decision says so)",
    )
    return parser


def _tickers(
    parser: argparse.ArgumentParser, given: list[str] | None, kept: list[str]
) -> list[str]:
    if not given:
        return kept
    chosen = []
    for raw in given:
        try:
            ticker = normalise_ticker(raw, "--ticker")
        except InvalidField as error:
            parser.error(error.message)
        if ticker not in kept:
            parser.error(f"--ticker {ticker} is not in TICKERS ({','.join(kept)})")
        chosen.append(ticker)
    return list(dict.fromkeys(chosen))


def run_once(settings: Settings, tickers: list[str], force: bool) -> int:
    from shepherd.adapters.calendar import load_calendar
    from shepherd.main import build_shepherd
    from shepherd.usecases.cycle import Trigger, run_cycle
    from stock_db import create_db_engine, ensure_schema

    engine = create_db_engine(settings.database_url)
    try:
        ensure_schema(engine)
        shepherd = build_shepherd(settings, engine, load_calendar(settings.exchange_calendar))
        results = [run_cycle(shepherd, ticker, Trigger.CRON, force) for ticker in tickers]
    except Exception as error:  # the database is down: nothing could even be recorded
        print(f"shepherd run-once: failed: {error.__class__.__name__}: {error}", flush=True)
        return EXIT_FAILED
    finally:
        engine.dispose()
    print("shepherd run-once: " + " | ".join(r.summary() for r in results), flush=True)
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging(logging.INFO, "shepherd")
    if args.command == "run-once":
        settings = Settings()
        return run_once(settings, _tickers(parser, args.ticker, settings.tickers), args.force)
    import uvicorn

    host = getattr(args, "host", "127.0.0.1")
    port = getattr(args, "port", 8004)
    uvicorn.run("shepherd.main:create_app", factory=True, host=host, port=port)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
