"""`python -m estimator_api serve`: the api on uvicorn (one worker: the models, prices and
prediction queue live in the process). Settings come from the environment (config.py)."""

import argparse

import uvicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m estimator_api", description="Serve each ticker's champion LSTM."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the api on uvicorn")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8002, help="port (default 8002)")
    args = parser.parse_args(argv)
    uvicorn.run("estimator_api.main:create_app", factory=True, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
