"""Command line: `python -m load_data bootstrap` and `python -m load_data serve`."""

import argparse
import logging
import sys

from load_data.config import Settings
from stock_db.logs import configure_logging

log = logging.getLogger("load_data")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m load_data",
        description="2_load_data: daily prices into the suite's database. Settings come from "
        "the environment: DATABASE_URL, PRICE_SOURCE (yahoo | sample | csv:PATH), TICKERS, "
        "ADMIN_TOKEN, YAHOO_ATTEMPTS, YAHOO_BACKOFF_SECONDS, EXCHANGE_CALENDAR.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    boot = commands.add_parser(
        "bootstrap",
        help="load the full history of every TICKERS entry that has no rows yet",
        description="Wait for the database, bring its schema up to date, and for each ticker "
        "in TICKERS without rows load 1986-01-01..today from PRICE_SOURCE. If that is yahoo "
        "and Yahoo fails, fall back to the bundled sample (MSFT only) with a loud warning. "
        "Idempotent: tickers that have rows are skipped. Exit status 1 if a ticker is left "
        "without rows.",
    )
    boot.add_argument(
        "--wait-seconds", type=float, default=60, help="how long to wait for the database"
    )
    serve = commands.add_parser("serve", help="run the HTTP service with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(logging.INFO, "load_data")
    if args.command == "bootstrap":
        from load_data.usecases.bootstrap import bootstrap

        outcomes = bootstrap(Settings(), wait_seconds=args.wait_seconds)
        for outcome in outcomes:
            rows = outcome.result.inserted if outcome.result else 0
            log.info(
                "bootstrap %s: %s (%d rows inserted) %s",
                outcome.ticker,
                outcome.action,
                rows,
                outcome.reason,
            )
        return 1 if any(outcome.action == "failed" for outcome in outcomes) else 0
    import uvicorn

    uvicorn.run("load_data.main:create_app", factory=True, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
