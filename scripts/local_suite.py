"""The suite as `make up` starts it (scripts/up.sh under honcho), but with its state in a fresh
temp folder, for the browser tests and the dashboard benchmark.

    with LocalSuite(admin_token="...") as suite:   # refuses when a port is taken
        ...                                          # every URL answers here
    # every process it started is stopped, the temp folder removed (its log kept on failure)

Processes are found by the STATE_DIR in their environment, which names this run's temp folder
and nothing else, so stopping never touches another suite or any other process.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from announce import DASHBOARD, PROMETHEUS, SERVICES, answers

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 300  # bootstrap (load + first training) and a production build


class SuiteError(RuntimeError):
    pass


def endpoints() -> list[tuple[str, str]]:
    """(name, URL that answers once ready) of every process `make up` starts, from the table
    `make up` announces; the api by /ready, since the browser tests need its model loaded."""
    listed = [DASHBOARD, *SERVICES] + ([PROMETHEUS] if shutil.which("prometheus") else [])
    return [
        (name, base + ("/ready" if base.endswith(":8002") else ready))
        for name, base, ready, _page in listed
    ]


def taken_ports() -> list[str]:
    """Ports of the suite that something on this machine already listens on."""
    taken = []
    for name, url in endpoints():
        port = urlsplit(url).port
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port or 0))
            except OSError:
                taken.append(f"{port} ({name})")
    return taken


def pids_with_state_dir(state_dir: Path) -> list[int]:
    """Every process whose environment has this run's STATE_DIR: up.sh, honcho, its children."""
    marker = f"STATE_DIR={state_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


class LocalSuite:
    def __init__(self, admin_token: str, force_build: bool = True, log_to: Path | None = None):
        self.admin_token = admin_token
        self.force_build = force_build
        self.log_to = log_to  # where to keep the suite's log (default: beside the state)
        self.state_dir = Path(tempfile.mkdtemp(prefix="suite-e2e-"))
        self.log_path = self.state_dir / "suite.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "LocalSuite":
        taken = taken_ports()
        if taken:
            shutil.rmtree(self.state_dir, ignore_errors=True)
            raise SuiteError(
                "ports already in use: " + ", ".join(taken) + ". Stop the running suite "
                "(`make up`: Ctrl-C) or whatever holds them, then run this again."
            )
        env = {
            **os.environ,
            "STATE_DIR": str(self.state_dir),
            "ADMIN_TOKEN": self.admin_token,
            "PRICE_SOURCE": "sample",  # the same figures on every machine, online or not
            "SHEPHERD_SCHEDULE": "off",  # only the test's own "Run now"
            "FORCE_BUILD": "1" if self.force_build else "0",
            "REQUIRE_DASHBOARD": "1",  # a failed build ends up.sh at once, with the error
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "scripts/up.sh"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self) -> None:
        started = time.monotonic()
        waiting = endpoints()
        while waiting:
            assert self.process is not None
            if self.process.poll() is not None:
                code = self.process.returncode
                raise SuiteError(f"scripts/up.sh exited ({code}):\n{self.tail()}")
            if time.monotonic() - started > START_TIMEOUT_SECONDS:
                names = ", ".join(name for name, _ in waiting)
                raise SuiteError(
                    f"not answering after {START_TIMEOUT_SECONDS} s: {names}\n{self.tail()}"
                )
            waiting = [(name, url) for name, url in waiting if not answers(url)]
            time.sleep(1)
        print(f"suite: every URL answers after {time.monotonic() - started:.0f} s", flush=True)

    def tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def signal_all(self, signum: int) -> list[int]:
        pids = pids_with_state_dir(self.state_dir)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)
        return pids

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.signal_all(signal.SIGCONT)  # a test may have left one stopped
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # honcho stops its children
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while pids_with_state_dir(self.state_dir) and time.monotonic() < deadline:
            time.sleep(0.5)
        leftover = self.signal_all(signal.SIGKILL)
        if leftover:
            print(f"suite: killed {len(leftover)} processes that outlived honcho", flush=True)
        if self.log_to is not None and self.log_path.exists():
            self.log_to.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.log_path, self.log_to)
        shutil.rmtree(self.state_dir, ignore_errors=True)
