"""Soak of the nn_estimator api: POST /predict under steady load for minutes, from a second
process (wrk), with a mix of by-date requests (logged to the predictions table) and explicit
histories. Passes only with zero errors (non-2xx answers and socket errors); reports p50/p99
and the api's RSS at the start and the end (it must stay flat: a leak shows here).

Self-contained like bench_api.py (whose helpers it reuses): trains the bootstrap model into a
temp store unless --database-url/--tracking-uri point at an existing one.
Run: `python bench/bench_soak.py [--seconds 300] [--connections 16]` (needs `wrk`).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import TICKER, Server, ensure_wrk, prepare_store, rss_mib, wait_http

# The request bodies rotate, one per request: wrk's Lua splits BENCH_BODIES on newlines.
WRK_SCRIPT = """
local bodies = {}
for line in string.gmatch(os.getenv("BENCH_BODIES"), "[^\\n]+") do
  table.insert(bodies, line)
end
local i = 0
local headers = {["Content-Type"] = "application/json"}
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"non_2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""
RSS_SAMPLE_SECONDS = 10
WARM_UP_SECONDS = 5


def bodies(length: int, horizon: int) -> list[str]:
    """By date (the newest close, older days, no date, and a day after the newest close, which
    makes the api check the database at most once a second) and explicit histories."""
    history = [round(80 + 0.05 * i, 2) for i in range(length)]
    by_date = [
        {"ticker": TICKER, "date": "2017-11-10", "horizon": horizon},
        {"ticker": TICKER, "date": "2016-06-01", "horizon": horizon},
        {"ticker": TICKER, "horizon": 1},
        {"ticker": TICKER, "date": "2017-11-14", "horizon": 3},
    ]
    by_history = [
        {"ticker": TICKER, "history": history, "horizon": horizon},
        {"ticker": TICKER, "history": history[::-1], "horizon": 2},
    ]
    return [json.dumps(b) for b in (by_date[0], by_history[0], by_date[1], by_date[2],
                                    by_history[1], by_date[3])]  # fmt: skip


def run_wrk(
    binary: str, script: Path, url: str, payloads: list[str], connections: int, seconds: int
) -> subprocess.Popen[str]:
    argv = [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    return subprocess.Popen(
        [*argv, "-s", str(script), url],
        env={**os.environ, "BENCH_BODIES": "\n".join(payloads)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result_of(process: subprocess.Popen[str]) -> dict:
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {stderr.strip()}")
    parsed: dict = json.loads(next(x for x in stdout.splitlines() if x.startswith("{")))
    return parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=300, help="duration of the soak")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument(
        "--max-rss-growth-mib",
        type=float,
        default=64.0,
        help="fail if the api's RSS grows more than this from start to end",
    )
    parser.add_argument("--database-url", help="use this database instead of a temp one")
    parser.add_argument("--tracking-uri", help="use this MLflow store (needs --database-url)")
    args = parser.parse_args(argv)

    binary = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    script = work / "soak.lua"
    script.write_text(WRK_SCRIPT)
    if args.database_url and args.tracking_uri:
        database_url, tracking_uri = args.database_url, args.tracking_uri
    else:
        database_url, tracking_uri = prepare_store(work)

    api = Server(
        "api",
        [
            *(sys.executable, "-m", "uvicorn", "--factory", "estimator_api.main:create_app"),
            *("--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"),
        ],
        {"DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri, "TICKERS": TICKER},
        work,
    )
    try:
        url = f"{api.base}/predict"
        wait_http(url, json.dumps({"ticker": TICKER}).encode())
        model = json.load(urllib.request.urlopen(f"{api.base}/model"))
        payloads = bodies(model["input_length"], model["max_horizon"])
        print(
            f"soak: {model['name']} v{model['version']}, wrk -c{args.connections} for "
            f"{args.seconds} s, {len(payloads)} bodies in rotation",
            flush=True,
        )
        warm = result_of(run_wrk(binary, script, url, payloads, args.connections, WARM_UP_SECONDS))
        rss_start = rss_mib(api.process.pid)
        samples = [rss_start]
        process = run_wrk(binary, script, url, payloads, args.connections, args.seconds)
        while process.poll() is None:
            time.sleep(min(RSS_SAMPLE_SECONDS, max(args.seconds / 10, 1)))
            if process.poll() is None:
                samples.append(rss_mib(api.process.pid))
                print(f"  RSS {samples[-1]:.0f} MiB", flush=True)
        raw = result_of(process)
        time.sleep(1.0)  # let the prediction writer drain
        rss_end = rss_mib(api.process.pid)
    finally:
        api.stop()

    errors = raw["non_2xx"] + raw["socket_errors"] + warm["non_2xx"] + warm["socket_errors"]
    growth = rss_end - rss_start
    print()
    print("| seconds | requests | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {raw['seconds']:.0f} | {raw['requests']:,} | {raw['requests'] / raw['seconds']:,.0f} "
        f"| {raw['p50_us'] / 1000:.2f} | {raw['p99_us'] / 1000:.2f} | {raw['max_us'] / 1000:.1f} "
        f"| {raw['non_2xx']} | {raw['socket_errors']} |"
    )
    print()
    print(
        f"api RSS: {rss_start:.0f} MiB at start, {rss_end:.0f} MiB at end ({growth:+.0f} MiB; "
        f"min {min(samples):.0f}, max {max([*samples, rss_end]):.0f} while soaking)"
    )
    shutil.rmtree(work, ignore_errors=True)
    failures = []
    if errors:
        failures.append(f"{errors} errors (warm-up included)")
    if growth > args.max_rss_growth_mib:
        failures.append(f"RSS grew {growth:.0f} MiB (> {args.max_rss_growth_mib:.0f})")
    if failures:
        print(f"FAILED: {'; '.join(failures)}", file=sys.stderr)
        return 1
    print("soak passed: zero errors, RSS flat")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
