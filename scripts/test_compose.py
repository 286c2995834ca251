"""`make test-compose`: the whole suite in Docker, through its life cycle, then nothing left.

Without a Docker engine (`docker info` fails) it prints one line and exits 0, unless
REQUIRE_DOCKER=1 (CI), where that is a failure. Otherwise, under a throwaway project name with
a random ADMIN_TOKEN and POSTGRES_PASSWORD and free loopback host ports (never the DESIGN.md
ports, which a `make up` on the same machine may hold):

1. builds every image (torch from the local wheel folder when `$PIP_FIND_LINKS` or /opt/wheels
   holds the pinned wheel, served on loopback for the build) and starts the suite with
   `up -d`; waits until every service is healthy and the one-shot bootstrap exited 0;
2. checks the bootstrap: history loaded (offline, Yahoo fails and it falls back to the bundled
   sample, labelled so) and a first champion trained and served; `POST /predict` answers;
3. moves time forward the way tests/shepherd/test_full_cycle.py does for its wall-clock
   run-once: the price file 2_load_data reads (PRICE_SOURCE=csv:PATH, a mounted file) grows
   from the sample's last day to the last completed session, and the shepherd's
   `run-once --ticker MSFT` (exec'd in its container) loads the rows, trains, passes the gate
   and makes the api serve the new champion (GET /model's version goes up);
4. 5_metrics reports quality (live forecasts after the champion's train_end), drift, and the
   api's latency read from Prometheus (`inference.source` = prometheus);
5. the dashboard answers on its port with the ticker and no "not answering" banner;
6. every container has its memory limit; `down -v` leaves no container and no volume.
Build time, time to healthy and the total are printed. `down -v` runs on failure too.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "2_load_data/load_data/data/msft_daily.csv.gz"
TICKER = "MSFT"
TORCH_WHEEL = "torch-2.13.0"
SERVICES = (
    "1_shepherd",
    "2_load_data",
    "3_db",
    "4_nn_estimator_api",
    "4_nn_estimator_mlflow",
    "4_nn_estimator_prometheus",
    "5_metrics",
    "6_octopus",
)
ONE_SHOT = "bootstrap"
# Host port variables of docker-compose.yaml and the container port each publishes.
PORT_VARIABLES = {
    "LOAD_DATA_PORT": "2_load_data",
    "API_PORT": "4_nn_estimator_api",
    "METRICS_PORT": "5_metrics",
    "SHEPHERD_PORT": "1_shepherd",
    "MLFLOW_PORT": "4_nn_estimator_mlflow",
    "PROMETHEUS_PORT": "4_nn_estimator_prometheus",
    "OCTOPUS_PORT": "6_octopus",
    "DB_PORT": "3_db",
}
HEALTHY_TIMEOUT = 300.0
# The shepherd trains in a child process; more epochs than a fine-tune's default 3, so that a
# warm start can learn the new regime the appended rows show (see continuation()).
TRAIN_ARGS = "--epochs 40"


def say(message: str) -> None:
    print(f"test-compose: {message}", flush=True)


class Failure(Exception):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise Failure(message)


def run(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 1800,
    quiet: bool = False,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0 and not quiet:
        raise Failure(
            f"`{' '.join(command)}` exited {done.returncode}:\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done


def engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    with suppress(subprocess.TimeoutExpired):
        return (
            subprocess.run(
                ["docker", "info"], capture_output=True, timeout=30, check=False
            ).returncode
            == 0
        )
    return False


def compose_command() -> list[str]:
    """`docker compose` (v2) when the plugin answers, else `docker-compose` (v1)."""
    v2 = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if v2.returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise Failure("neither `docker compose` nor `docker-compose` is installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wheel_folder() -> Path | None:
    """The folder holding the pinned torch wheel: one of $PIP_FIND_LINKS's, else /opt/wheels."""
    candidates = [
        Path(item.removeprefix("file://"))
        for item in os.environ.get("PIP_FIND_LINKS", "").split()
        if not item.startswith(("http://", "https://"))
    ] + [Path("/opt/wheels")]
    for folder in candidates:
        if folder.is_dir() and any(folder.glob(f"{TORCH_WHEEL}*.whl")):
            return folder
    return None


@contextmanager
def serving_wheels() -> Iterator[dict[str, str]]:
    """Build arguments for torch: the local wheel folder on a loopback HTTP server (builds use
    the host's network), or nothing (the Dockerfile's default index)."""
    folder = wheel_folder()
    if folder is None or os.environ.get("TORCH_FIND_LINKS"):
        yield {}
        return
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        say(f"serving torch from {folder} on http://127.0.0.1:{port}/ for the build")
        yield {
            "TORCH_FIND_LINKS": f"http://127.0.0.1:{port}/",
            "TORCH_INDEX_URL": os.environ.get("TORCH_INDEX_URL", "https://pypi.org/simple"),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


# ---------------------------------------------------------------------------- HTTP helpers


def http(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = 30,
) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get_json(url: str) -> Any:
    status, text = http("GET", url)
    check(status == 200, f"GET {url} answered {status}: {text[:500]}")
    return json.loads(text)


def wait_for(what: str, probe: Callable[[], Any], timeout: float, every: float = 2.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        with suppress(Exception):
            last = probe()
            if last:
                return last
        time.sleep(every)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r:.500})")


# ---------------------------------------------------------------------------- price file


def sample_rows() -> list[dict[str, str]]:
    with gzip.open(SAMPLE, "rt") as handle:
        header, *lines = handle.read().splitlines()
    names = header.split(",")
    return [dict(zip(names, line.split(","), strict=True)) for line in lines]


def write_prices(path: Path, rows: list[dict[str, Any]]) -> None:
    columns = ["date", "open", "high", "low", "close", "volume"]
    text = (
        ",".join(columns)
        + "\n"
        + "".join(",".join(str(row[c]) for c in columns) + "\n" for row in rows)
    )
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text)
    temporary.chmod(0o644)
    temporary.replace(path)  # the loader reads the file at every load: never half a file


def continuation(last_close: float, after: date) -> list[dict[str, Any]]:
    """Rows for every XNYS session after `after` up to the last completed one (the wall clock:
    the shepherd in its container has no other), as test_full_cycle.continued_to_today does.
    Its daily log returns follow a ten-session cycle with small noise: a regime the champion
    (trained on MSFT, close to a random walk) never saw and a retrained or fine-tuned model can
    learn, so the gate has a real improvement to find."""
    import numpy as np

    from shepherd.adapters.calendar import load_calendar
    from shepherd.adapters.clock import system_clock

    sessions = load_calendar("XNYS", start="2017-01-01").sessions
    days = sessions.between(after, sessions.last_completed(system_clock()))
    rng = np.random.default_rng(14)
    steps = np.arange(len(days))
    returns = 0.02 * np.sin(2 * np.pi * steps / 10) + rng.normal(0.0002, 0.002, len(steps))
    closes = last_close * np.exp(np.cumsum(returns))
    return [
        {
            "date": day.isoformat(),
            "open": round(close, 4),
            "high": round(close * 1.005, 4),
            "low": round(close * 0.995, 4),
            "close": round(close, 4),
            "volume": 20_000_000,
        }
        for day, close in zip(days, closes, strict=True)
    ]


# ---------------------------------------------------------------------------- the run


class Suite:
    def __init__(self, workdir: Path, build_args: dict[str, str]) -> None:
        self.project = f"sftest{secrets.token_hex(4)}"
        self.token = secrets.token_urlsafe(24)
        self.ports = {name: free_port() for name in PORT_VARIABLES}
        self.workdir = workdir
        self.prices = workdir / "prices"
        self.prices.mkdir(mode=0o755)
        self.prices.chmod(0o755)  # read by uid 1000 in 2_load_data
        override = workdir / "compose.test.yaml"
        override.write_text(
            "# make test-compose: 2_load_data reads a price file the test grows; the shepherd\n"
            "# runs only when told (run-once), with its training options.\n"
            "services:\n"
            "  2_load_data:\n"
            "    environment:\n"
            f"      PRICE_SOURCE: csv:/prices/{TICKER}.csv\n"
            "    volumes:\n"
            f"      - {self.prices}:/prices:ro\n"
            "  1_shepherd:\n"
            "    environment:\n"
            f"      SHEPHERD_TRAIN_ARGS: {TRAIN_ARGS}\n"
        )
        self.env = {
            **os.environ,
            **build_args,
            **{name: str(port) for name, port in self.ports.items()},
            "PUBLISH_ADDRESS": "127.0.0.1",
            "ADMIN_TOKEN": self.token,
            "POSTGRES_PASSWORD": secrets.token_urlsafe(18),
            "PRICE_SOURCE": os.environ.get("PRICE_SOURCE", "yahoo"),
            "TICKERS": TICKER,
            "SHEPHERD_SCHEDULE": "off",
            "COMPOSE_PROJECT_NAME": self.project,
        }
        self.compose = [
            *compose_command(),
            "-p",
            self.project,
            "-f",
            str(ROOT / "docker-compose.yaml"),
            "-f",
            str(override),
        ]

    def url(self, variable: str) -> str:
        return f"http://127.0.0.1:{self.ports[variable]}"

    def __call__(
        self, *args: str, timeout: float = 1800, quiet: bool = False
    ) -> subprocess.CompletedProcess[str]:
        return run([*self.compose, *args], env=self.env, timeout=timeout, quiet=quiet)

    def container(self, service: str) -> str | None:
        done = run(
            [
                "docker",
                "ps",
                "-aq",
                "--filter",
                f"label=com.docker.compose.project={self.project}",
                "--filter",
                f"label=com.docker.compose.service={service}",
            ],
            quiet=True,
        )
        ids = done.stdout.split()
        return ids[0] if ids else None

    def inspect(self, service: str) -> dict[str, Any]:
        cid = self.container(service)
        check(cid, f"no container for {service}")
        return json.loads(run(["docker", "inspect", str(cid)]).stdout)[0]

    def leftovers(self) -> tuple[list[str], list[str]]:
        label = f"label=com.docker.compose.project={self.project}"
        containers = run(["docker", "ps", "-aq", "--filter", label], quiet=True).stdout.split()
        volumes = run(
            ["docker", "volume", "ls", "-q", "--filter", label], quiet=True
        ).stdout.split()
        named = run(["docker", "volume", "ls", "-q"], quiet=True).stdout.split()
        volumes += [v for v in named if v.startswith(f"{self.project}_") and v not in volumes]
        return containers, volumes

    def logs(self) -> str:
        return self("logs", "--no-color", "--tail", "60", quiet=True).stdout


def all_healthy(suite: Suite) -> bool:
    bootstrap = suite.inspect(ONE_SHOT)["State"]
    if bootstrap["Status"] == "exited":
        check(bootstrap["ExitCode"] == 0, f"the bootstrap exited {bootstrap['ExitCode']}")
    else:
        return False
    for service in SERVICES:
        state = suite.inspect(service)["State"]
        check(
            state["Status"] in ("running", "created", "restarting"),
            f"{service} is {state['Status']} (exit {state.get('ExitCode')})",
        )
        if state.get("Health", {}).get("Status") != "healthy":
            return False
    return True


def life_cycle(suite: Suite) -> dict[str, float]:
    times: dict[str, float] = {}
    load_data, api = suite.url("LOAD_DATA_PORT"), suite.url("API_PORT")
    metrics, octopus = suite.url("METRICS_PORT"), suite.url("OCTOPUS_PORT")

    # The price file starts where the bundled sample ends (what the bootstrap loads offline).
    sample = sample_rows()
    csv = suite.prices / f"{TICKER}.csv"
    write_prices(csv, sample)

    started = time.monotonic()
    say("building every image")
    # v1's legacy builder keeps a failed step's container unless told (BuildKit keeps none).
    suite("build", *(["--force-rm"] if suite.compose[0] == "docker-compose" else []))
    times["build"] = time.monotonic() - started

    started = time.monotonic()
    say("up -d")
    suite("up", "-d", quiet=True)  # v1 returns non-zero while a dependency is still starting
    wait_for(
        "every service healthy and the bootstrap done",
        lambda: all_healthy(suite),
        HEALTHY_TIMEOUT,
        every=2,
    )
    times["healthy"] = time.monotonic() - started
    say(f"healthy {times['healthy']:.0f} s after `up -d`")

    # 1. The bootstrap: history (the sample, offline), a first champion, served.
    bootstrap_log = suite("logs", "--no-color", ONE_SHOT).stdout
    coverage = {t["ticker"]: t for t in get_json(f"{load_data}/tickers")["tickers"]}
    check(TICKER in coverage, f"no {TICKER} rows after the bootstrap: {coverage}")
    first_last = coverage[TICKER]["last_date"]
    if "loaded-fallback" in bootstrap_log:
        check(
            first_last == sample[-1]["date"],
            f"fallback loaded up to {first_last}, not the sample's {sample[-1]['date']}",
        )
        say(f"bootstrap: Yahoo unreachable, fell back to the sample ({coverage[TICKER]})")
    else:
        check(
            first_last == sample[-1]["date"],
            f"the bootstrap loaded {TICKER} up to {first_last} from {suite.env['PRICE_SOURCE']}"
            "; this test grows the sample from its last day: run it offline or with "
            "PRICE_SOURCE=sample",
        )
    model = get_json(f"{api}/model?ticker={TICKER}")
    check(model["alias"] == "champion", f"the api serves no champion: {model}")
    first_version = int(model["version"])
    say(f"bootstrap: champion v{first_version} trained to {model['train_end']} and served")

    status, text = http(
        "POST", f"{api}/predict", {"ticker": TICKER, "date": first_last, "horizon": 5}
    )
    check(status == 200, f"POST /predict answered {status}: {text[:500]}")
    check(len(json.loads(text)["predictions"]) == 5, f"not five forecasts: {text[:500]}")
    say("POST /predict answers")

    # 2. Time moves forward: the file grows to the last completed session; one shepherd cycle.
    rows = continuation(float(sample[-1]["close"]), date.fromisoformat(sample[-1]["date"]))
    write_prices(csv, sample + rows)
    say(f"price file grown by {len(rows)} sessions to {rows[-1]['date']}; shepherd run-once")
    started = time.monotonic()
    cycle = suite(
        "exec",
        "-T",
        "1_shepherd",
        "python",
        "-m",
        "shepherd",
        "run-once",
        "--ticker",
        TICKER,
        quiet=True,
        timeout=900,
    )
    times["cycle"] = time.monotonic() - started
    summary = cycle.stdout.strip().splitlines()[-1] if cycle.stdout.strip() else ""
    say(f"run-once ({times['cycle']:.0f} s): {summary}")
    check(cycle.returncode == 0, f"run-once exited {cycle.returncode}: {cycle.stderr[-3000:]}")
    coverage = {t["ticker"]: t for t in get_json(f"{load_data}/tickers")["tickers"]}
    check(
        coverage[TICKER]["last_date"] == rows[-1]["date"],
        f"the cycle did not load up to {rows[-1]['date']}: {coverage[TICKER]}",
    )
    runs = get_json(f"{suite.url('SHEPHERD_PORT')}/runs?ticker={TICKER}&limit=1")
    newest = (runs.get("runs") or [{}])[0]
    check(
        newest.get("rows_loaded") == len(rows),
        f"the cycle's record says {newest.get('rows_loaded')} rows, not {len(rows)}: {newest}",
    )
    model = get_json(f"{api}/model?ticker={TICKER}")
    check(
        int(model["version"]) > first_version,
        f"still serving v{model['version']} after the cycle (the gate kept the champion?): "
        f"{summary}",
    )
    say(f"the api serves the new champion v{model['version']} trained to {model['train_end']}")

    # 3. Live forecasts after the new champion's training range, for 5_metrics to judge.
    days = [r["date"] for r in rows if r["date"] > model["train_end"]][:-5][-40:]
    check(len(days) >= 20, f"too few days after train_end {model['train_end']}: {len(days)}")
    for day in days:
        status, text = http("POST", f"{api}/predict", {"ticker": TICKER, "date": day, "horizon": 1})
        check(status == 200, f"POST /predict {day} answered {status}: {text[:300]}")

    def report() -> dict[str, Any] | None:
        found = get_json(f"{metrics}/metrics?ticker={TICKER}")
        ready = (found.get("n") or 0) > 0 and found["inference"]["source"] == "prometheus"
        return found if ready and found["inference"].get("avg_seconds") is not None else None

    found = wait_for("5_metrics reporting quality and Prometheus latency", report, 120, 3)
    check(
        found["mse"] is not None and found["model_version"] == model["version"],
        f"5_metrics quality: {found}",
    )
    drift = found["data_drift"]
    check(
        drift.get("statistic") is not None and "drift_detected" in drift,
        f"5_metrics drift: {drift}",
    )
    say(
        f"5_metrics: n={found['n']} mse={found['mse']:.4g} drift {drift['method']} "
        f"detected={drift['drift_detected']} latency avg "
        f"{found['inference']['avg_seconds'] * 1000:.2f} ms from {found['inference']['source']}"
    )

    # Prometheus scrapes every target of prometheus.compose.yml by its compose service name.
    def targets_up() -> list[str] | None:
        found = get_json(f"{suite.url('PROMETHEUS_PORT')}/api/v1/targets?state=active")
        targets = found["data"]["activeTargets"]
        down = [f"{t['scrapeUrl']}: {t['lastError']}" for t in targets if t["health"] != "up"]
        check(not [t for t in targets if t["health"] == "down"], f"targets down: {down}")
        return None if down else [t["scrapeUrl"] for t in targets]

    scraped = wait_for("every Prometheus target scraped", targets_up, 90, 3)
    say(f"Prometheus scrapes {', '.join(scraped)}")

    # 4. The dashboard, server-side, with data from the others.
    status, page = http("GET", f"{octopus}/?ticker={TICKER}", timeout=60)
    check(status == 200, f"the dashboard answered {status}")
    check(TICKER in page, "the dashboard page does not name the ticker")
    check(
        "not answering" not in page,
        "the dashboard says a service is not answering: "
        + ", ".join(sorted(set(re.findall(r"[\w ]+ is not answering", page)))),
    )
    say("the dashboard answers with data")

    # 5. Memory limits applied to every container.
    for service in (*SERVICES, ONE_SHOT):
        memory = suite.inspect(service)["HostConfig"]["Memory"]
        check(memory and memory > 0, f"{service} runs without a memory limit")
    say(
        "memory limits: "
        + run(
            [
                "docker",
                "stats",
                "--no-stream",
                "--format",
                "{{.Name}} {{.MemUsage}}",
                *[str(suite.container(s)) for s in SERVICES],
            ]
        )
        .stdout.strip()
        .replace("\n", "; ")
    )
    peaks = {s: peak_memory(suite.inspect(s)["Id"]) for s in SERVICES}
    say("peak memory: " + ", ".join(f"{s} {p}" for s, p in peaks.items() if p))
    return times


def peak_memory(container_id: str) -> str:
    """The container's peak memory from its cgroup (v1 or v2), when this host exposes it."""
    for path in (
        f"/sys/fs/cgroup/memory/docker/{container_id}/memory.max_usage_in_bytes",
        f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope/memory.peak",
    ):
        with suppress(OSError, ValueError):
            return f"{int(Path(path).read_text()) / 2**20:.0f} MiB"
    return ""


def main() -> int:
    if not engine_answers():
        if os.environ.get("REQUIRE_DOCKER") == "1":
            say("FAILED: no Docker engine answers (`docker info`), and REQUIRE_DOCKER=1")
            return 1
        say(
            "skipped: no Docker engine answers (`docker info` failed); set REQUIRE_DOCKER=1 "
            "to make that a failure"
        )
        return 0
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C does, so `down -v` below still runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    begun = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="test-compose-"))
    workdir.chmod(0o755)
    failed = True
    times: dict[str, float] = {}
    with serving_wheels() as build_args:
        suite = Suite(workdir, build_args)
        say(f"project {suite.project}, host ports {suite.ports}")
        try:
            times = life_cycle(suite)
            failed = False
        except Exception as error:  # a failed check, a timeout, an unexpected answer
            say(f"FAILED: {error.__class__.__name__}: {error}")
            with suppress(Exception):
                print(suite.logs()[-12000:], flush=True)
        finally:
            suite("down", "-v", "--remove-orphans", "--timeout", "10", quiet=True, timeout=300)
            containers, volumes = suite.leftovers()
            if containers or volumes:
                say(f"FAILED: left behind after down -v: {containers} {volumes}")
                failed = True
            else:
                say("down -v: no container and no volume of the project left")
            shutil.rmtree(workdir, ignore_errors=True)
    total = time.monotonic() - begun
    figures = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in times.items())
    say(
        f"{'FAILED' if failed else 'passed'}: {figures}{', ' if figures else ''}total {total:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
