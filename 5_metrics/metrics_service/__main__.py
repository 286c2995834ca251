"""Command line: `python -m metrics_service serve [--host H] [--port P]`."""

import argparse
import os

import uvicorn


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m metrics_service",
        description="5_metrics: forecast quality against actuals, data drift and inference "
        "latency over HTTP. Settings come from the environment: DATABASE_URL, PROMETHEUS_URL, "
        "ESTIMATOR_URL, QUALITY_WINDOW_DAYS, DRIFT_WINDOW_DAYS, DRIFT_METHOD, ... (all in "
        "5_metrics/README.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service with uvicorn")
    serve.add_argument(
        "--host", default=os.environ.get("HOST", "127.0.0.1"), help="default: HOST or 127.0.0.1"
    )
    port = int(os.environ.get("PORT", "8003"))
    serve.add_argument("--port", type=int, default=port, help="default: PORT or 8003")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    uvicorn.run("metrics_service.main:create_app", factory=True, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
