"""Training in a child process: `python -m nn_estimator train --ticker T [--fine-tune] --json`.

A child keeps torch and MLflow out of the shepherd (its scheduler and HTTP face stay responsive
and small), gives the training a hard timeout, and leaves nothing behind when it crashes. The
CLI trains, evaluates, registers and promotes only through its gate, then prints ONE JSON line
on stdout: {"ticker", "model_name", "version", "promoted", "reasons": [...], "gate":
{"decision": "promote|reject", "p_value": float|null, ...}}. A non-zero exit, a timeout, or no
such line is a failed training whose reason quotes the end of the child's stderr.
"""

import json
import logging
import math
import os
import subprocess
import sys
import time
from typing import Any

from shepherd.domain.outcome import TrainingReport

log = logging.getLogger(__name__)
STDERR_TAIL_CHARS = 600


class TrainingFailed(Exception):
    """The child failed; the message is the reason to record."""


class ChildProcessTrainer:
    def __init__(
        self,
        database_url: str,
        tracking_uri: str,
        extra_args: list[str],
        timeout_seconds: float,
        python: str = sys.executable,
    ) -> None:
        self.database_url = database_url
        self.tracking_uri = tracking_uri
        self.extra_args = extra_args
        self.timeout_seconds = timeout_seconds
        self.python = python

    def command(self, ticker: str, fine_tune: bool) -> list[str]:
        command = [self.python, "-m", "nn_estimator", "train", "--ticker", ticker]
        if fine_tune:
            command.append("--fine-tune")
        return [*command, *self.extra_args, "--json"]

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "MLFLOW_TRACKING_URI": self.tracking_uri,
            "MLFLOW_DISABLE_TELEMETRY": "true",
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
        }

    def train(self, ticker: str, fine_tune: bool) -> TrainingReport:
        command = self.command(ticker, fine_tune)
        began = time.monotonic()
        log.info("training %s: %s", ticker, " ".join(command[1:]))
        try:
            finished = subprocess.run(
                command,
                env=self.environment(),
                capture_output=True,
                text=True,
                timeout=self.timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired as expired:
            raise TrainingFailed(
                f"training timed out after {self.timeout_seconds:g} s and was killed"
                f"{_tail(_text(expired.stderr))}"
            ) from None
        except OSError as error:
            raise TrainingFailed(f"training could not start: {error}") from None
        log.info(
            "training %s ended with code %d after %.1f s",
            ticker,
            finished.returncode,
            time.monotonic() - began,
        )
        if finished.returncode != 0:
            raise TrainingFailed(
                f"training exited with code {finished.returncode}{_tail(finished.stderr)}"
            )
        report = parse_result_line(finished.stdout, ticker)
        if report is None:
            raise TrainingFailed(
                "training printed no JSON result line (is --json supported?)"
                + _tail(finished.stderr)
            )
        return report


def parse_result_line(stdout: str, ticker: str) -> TrainingReport | None:
    """The last stdout line that is the CLI's JSON result, or None."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            document = json.loads(line)
            return _report(document, ticker)
        except (ValueError, TypeError, KeyError):
            continue
    return None


def _report(document: Any, ticker: str) -> TrainingReport:
    if not isinstance(document, dict):
        raise TypeError("not an object")
    gate = document.get("gate")
    if not isinstance(gate, dict):
        gate = {}
    p_value = gate.get("p_value")
    finite = isinstance(p_value, int | float) and math.isfinite(p_value)
    promoted = document["promoted"]
    if not isinstance(promoted, bool):
        raise TypeError("promoted must be true or false")
    decision = gate.get("decision")
    return TrainingReport(
        model_name=str(document.get("model_name") or f"lstm-{ticker}"),
        version=int(document["version"]),
        promoted=promoted,
        reasons=tuple(str(reason) for reason in document.get("reasons") or ()),
        gate_decision=str(decision) if decision is not None else None,
        gate_p_value=float(p_value) if finite and p_value is not None else None,
    )


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", errors="replace")
    return output or ""


def _tail(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return ""
    tail = " | ".join(lines[-4:])
    return f": {tail[-STDERR_TAIL_CHARS:]}"
