"""Benchmark of the nn_estimator api's POST /predict against `mlflow models serve` of the same
registered model and a no-op FastAPI endpoint on the same uvicorn stack (the HTTP ceiling).

Bounded load from a second process (wrk) on loopback only, at concurrency 1, 16 and 64, for
both request forms (by date, explicit history); RSS of the api before/after 50,000 requests.
Self-contained: trains the bootstrap model (QUICK_CONFIG, full bundled MSFT history) into a
temp store unless --database-url/--tracking-uri point at an existing one. Not a test: it takes
a few minutes. Run: `python bench/bench_api.py` (needs `wrk`; installed with apt-get if missing).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtualenv's scripts (mlflow)
SAMPLE = ROOT / "2_load_data/load_data/data/msft_daily.csv.gz"
TICKER = "MSFT"
CONCURRENCY = (1, 16, 64)
RSS_REQUESTS = 50_000
ENV = {
    "OMP_NUM_THREADS": "1",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "PYTHONWARNINGS": "ignore",
}

# wrk prints one JSON line with the percentiles we need (its --latency table has no p95).
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY")
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"non_2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def create_noop_app() -> Any:
    """The ceiling: same FastAPI + uvicorn stack, parses the JSON body, returns a constant."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/predict")
    async def predict(body: dict[str, Any]) -> dict[str, Any]:
        return {"ticker": body.get("ticker"), "predictions": []}

    return app


@dataclass
class Run:
    target: str
    form: str
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is required (apt-get install -y wrk)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_http(url: str, body: bytes | None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                url, data=body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer 200 within {timeout} s")


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (mlflow serve forks uvicorn workers)."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def prepare_store(work: Path) -> tuple[str, str]:
    """A sqlite database with the full bundled history and a champion trained on it."""
    from datetime import UTC, datetime

    import pandas as pd
    from sqlalchemy import insert

    from nn_estimator.adapters.tracking import set_champion
    from nn_estimator.config import QUICK_CONFIG
    from nn_estimator.usecases.train import train_and_register
    from stock_db import create_db_engine, ensure_schema, prices

    database_url = f"sqlite:///{work / 'suite.db'}"
    tracking_uri = f"sqlite:///{work / 'mlflow.db'}"
    engine = create_db_engine(database_url)
    ensure_schema(engine)
    frame = pd.read_csv(SAMPLE, parse_dates=["date"])
    frame["date"] = frame["date"].dt.date
    rows = frame.assign(ticker=TICKER, source="sample", loaded_at=datetime.now(UTC))
    with engine.begin() as connection:
        records = [{str(k): v for k, v in r.items()} for r in rows.to_dict("records")]
        connection.execute(insert(prices), records)
    print(f"training the bootstrap model on {len(frame)} closes ...", flush=True)
    outcome = train_and_register(TICKER, engine, tracking_uri, QUICK_CONFIG)
    if not outcome.promoted:
        set_champion(tracking_uri, outcome.model_name, outcome.version)
    engine.dispose()
    return database_url, tracking_uri


def register_pt2_copy(tracking_uri: str, input_length: int) -> str:
    """The champion re-logged in MLflow 3's pt2 (torch.export) format, for tensor input."""
    import mlflow
    import mlflow.pytorch
    import numpy as np

    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    model = mlflow.pytorch.load_model(f"models:/lstm-{TICKER}@champion")
    example = np.linspace(80.0, 84.0, input_length, dtype=np.float32)[np.newaxis, :]
    mlflow.set_experiment("bench-pt2")
    with mlflow.start_run():
        info = mlflow.pytorch.log_model(
            model,
            name="model",
            input_example=example,
            registered_model_name=f"lstm-{TICKER}-pt2",
            pip_requirements=["torch", "mlflow"],
        )
    return f"models:/lstm-{TICKER}-pt2/{info.registered_model_version}"


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log = (log_dir / f"{name}.log").open("w")
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.process = subprocess.Popen(
            argv, env={**os.environ, **ENV, **env}, stdout=self.log, stderr=subprocess.STDOUT
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def wrk(binary: str, script: Path, url: str, body: str, connections: int, seconds: float) -> dict:
    argv = [binary, "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s"]
    result = subprocess.run(
        [*argv, "-s", str(script), url],
        env={**os.environ, "BENCH_BODY": body},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    parsed: dict = json.loads(line)
    return parsed


@dataclass(frozen=True)
class Cell:
    target: str
    form: str
    url: str
    body: str
    concurrency: int


def measure(binary: str, script: Path, cells: list[Cell], seconds: float, rounds: int) -> list[Run]:
    """Each cell `rounds` times, round-robin (so a slow spell of this shared machine hits every
    target alike), keeping each cell's median run by throughput."""
    for url, body in {(c.url, c.body) for c in cells}:
        wrk(binary, script, url, body, 16, 2)  # warm-up: JIT, allocator, connection setup
    results: dict[Cell, list[Run]] = {cell: [] for cell in cells}
    for round_ in range(rounds):
        for cell in cells:
            raw = wrk(binary, script, cell.url, cell.body, cell.concurrency, seconds)
            run = Run(
                cell.target,
                cell.form,
                cell.concurrency,
                raw["requests"],
                raw["seconds"],
                raw["p50_us"] / 1000,
                raw["p95_us"] / 1000,
                raw["p99_us"] / 1000,
                raw["non_2xx"] + raw["socket_errors"],
            )
            print(
                f"  round {round_ + 1}/{rounds}  {cell.target:<24} {cell.form:<8} "
                f"c={cell.concurrency:<3} {run.rps:8.0f} req/s  p50 {run.p50_ms:.2f} ms  "
                f"p99 {run.p99_ms:.2f} ms  errors {run.errors}",
                flush=True,
            )
            results[cell].append(run)
    medians = []
    for runs in results.values():
        ranked = sorted(runs, key=lambda r: r.rps)
        medians.append(ranked[len(ranked) // 2])
    return medians


def table(runs: list[Run]) -> str:
    lines = [
        "| target | request | concurrency | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.target} | {r.form} | {r.concurrency} | {r.rps:,.0f} | {r.p50_ms:.2f} | "
            f"{r.p95_ms:.2f} | {r.p99_ms:.2f} | {r.errors} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="duration of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each cell (median kept)")
    parser.add_argument("--database-url", help="use this database instead of a temp one")
    parser.add_argument("--tracking-uri", help="use this MLflow store (needs --database-url)")
    parser.add_argument("--skip-mlflow", action="store_true", help="only the api and no-op")
    args = parser.parse_args(argv)

    binary = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    script = work / "post.lua"
    script.write_text(WRK_SCRIPT)
    if args.database_url and args.tracking_uri:
        database_url, tracking_uri = args.database_url, args.tracking_uri
    else:
        database_url, tracking_uri = prepare_store(work)

    servers: list[Server] = []
    runs: list[Run] = []
    try:
        api = Server(
            "api",
            [
                *(sys.executable, "-m", "uvicorn", "--factory", "estimator_api.main:create_app"),
                *("--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"),
            ],
            {
                "DATABASE_URL": database_url,
                "MLFLOW_TRACKING_URI": tracking_uri,
                "TICKERS": TICKER,
            },
            work,
        )
        servers.append(api)
        noop = Server(
            "noop",
            [
                *(sys.executable, "-m", "uvicorn", "bench_api:create_noop_app", "--factory"),
                *("--app-dir", str(ROOT / "bench"), "--host", "127.0.0.1", "--port", "{port}"),
                *("--log-level", "warning"),
            ],
            {},
            work,
        )
        servers.append(noop)
        wait_http(f"{api.base}/predict", json.dumps({"ticker": TICKER}).encode())
        model = json.load(urllib.request.urlopen(f"{api.base}/model"))
        length, horizon = model["input_length"], model["max_horizon"]
        print(f"serving {model['name']} v{model['version']} (L={length}, H={horizon})")

        history = [round(80 + 0.05 * i, 2) for i in range(length)]
        by_date = json.dumps({"ticker": TICKER, "date": "2017-11-10", "horizon": horizon})
        by_history = json.dumps({"ticker": TICKER, "history": history, "horizon": horizon})
        wait_http(f"{noop.base}/predict", by_date.encode())

        mlflow_targets: list[tuple[str, Server, str]] = []
        if not args.skip_mlflow:
            pt2_uri = register_pt2_copy(tracking_uri, length)
            columns = [str(i) for i in range(length)]
            candidates: list[tuple[str, str, dict[str, Any]]] = [
                (
                    "mlflow pickle DataFrame",
                    f"models:/{model['name']}/{model['version']}",
                    {"dataframe_split": {"columns": columns, "data": [history]}},
                ),
                ("mlflow pt2 tensor", pt2_uri, {"inputs": [history]}),
            ]
            for name, uri, request in candidates:
                server = Server(
                    name.replace(" ", "-"),
                    [
                        *(str(BIN / "mlflow"), "models", "serve", "-m", uri),
                        *("--env-manager", "local", "-h", "127.0.0.1", "-p", "{port}"),
                    ],
                    {
                        "MLFLOW_TRACKING_URI": tracking_uri,
                        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                    },
                    work,
                )
                servers.append(server)
                mlflow_targets.append((name, server, json.dumps(request)))
            for _, server, payload in mlflow_targets:
                wait_http(f"{server.base}/invocations", payload.encode())

        print(
            f"measuring (wrk on 127.0.0.1, one wrk thread, {args.seconds} s a run, "
            f"median of {args.rounds} rounds) ...",
            flush=True,
        )
        rss_start = rss_mib(api.process.pid)
        url = f"{api.base}/predict"
        noop_url = f"{noop.base}/predict"
        targets = [
            ("nn_estimator api", "by date", url, by_date),
            ("nn_estimator api", "history", url, by_history),
            ("no-op FastAPI", "history", noop_url, by_history),
        ] + [
            (name, "history", f"{server.base}/invocations", payload)
            for name, server, payload in mlflow_targets
        ]
        cells = [Cell(*target, c) for target in targets for c in CONCURRENCY]
        runs += measure(binary, script, cells, args.seconds, args.rounds)

        # RSS over 50,000 more requests at concurrency 16 (by date: the form that also logs).
        rss_before = rss_mib(api.process.pid)
        done = 0
        while done < RSS_REQUESTS:
            done += wrk(binary, script, url, by_date, 16, 10)["requests"]
        time.sleep(1.0)  # let the prediction writer drain
        rss_after = rss_mib(api.process.pid)
    finally:
        for server in servers:
            server.stop()

    print()
    print(table(runs))
    print()
    print(
        f"api RSS: {rss_start:.0f} MiB at start of measuring, {rss_before:.0f} MiB before and "
        f"{rss_after:.0f} MiB after {done:,} more requests"
    )
    print(summary(runs))
    shutil.rmtree(work, ignore_errors=True)
    return 0


def summary(runs: list[Run]) -> str:
    def at(target: str, form: str, c: int) -> Run | None:
        return next(
            (r for r in runs if r.target == target and r.form == form and r.concurrency == c), None
        )

    lines = []
    api16 = at("nn_estimator api", "history", 16)
    date16 = at("nn_estimator api", "by date", 16)
    for name, label in (
        ("mlflow pickle DataFrame", "x MLflow DataFrame (target >= 10x)"),
        ("mlflow pt2 tensor", "x MLflow pt2 (target >= 2x)"),
        ("no-op FastAPI", "of the no-op ceiling (target >= 70%)"),
    ):
        other = at(name, "history", 16)
        if api16 and other:
            ratio = api16.rps / other.rps
            shown = f"{ratio:.0%}" if name == "no-op FastAPI" else f"{ratio:.1f}"
            lines.append(f"- c=16, history: api is {shown} {label}")
    if date16 and (noop := at("no-op FastAPI", "history", 16)):
        lines.append(f"- c=16, by date: api is {date16.rps / noop.rps:.0%} of the no-op ceiling")
    api1 = at("nn_estimator api", "by date", 1)
    if api1:
        lines.append(f"- c=1, by date: p50 {api1.p50_ms:.2f} ms (target < 1 ms)")
    if api16:
        lines.append(f"- c=16, history: p99 {api16.p99_ms:.2f} ms (target < 15 ms)")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
