"""The training child process: its command, its one JSON line, and every way it can fail.
A stand-in `nn_estimator` package on PYTHONPATH plays the CLI."""

import json
import sys
from pathlib import Path

import pytest

from shepherd.adapters.trainer import ChildProcessTrainer, TrainingFailed, parse_result_line

RESULT = {
    "ticker": "MSFT",
    "model_name": "lstm-MSFT",
    "version": 7,
    "promoted": False,
    "reasons": ["candidate MASE 1.01 > champion 0.99"],
    "gate": {"decision": "reject", "p_value": 0.31, "n_days": 60},
}


def fake_cli(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> ChildProcessTrainer:
    package = tmp_path / "fake" / "nn_estimator"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(body)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fake"))
    return ChildProcessTrainer(
        "sqlite:///db", "sqlite:///mlflow.db", ["--epochs", "1"], timeout_seconds=20
    )


def test_the_command_and_environment() -> None:
    trainer = ChildProcessTrainer("sqlite:///x.db", "sqlite:///m.db", ["--epochs", "2"], 60)
    assert trainer.command("MSFT", fine_tune=True) == [
        sys.executable,
        *("-m", "nn_estimator", "train", "--ticker", "MSFT", "--fine-tune"),
        *("--epochs", "2", "--json"),
    ]
    assert "--fine-tune" not in trainer.command("MSFT", fine_tune=False)
    env = trainer.environment()
    assert env["DATABASE_URL"] == "sqlite:///x.db"
    assert env["MLFLOW_TRACKING_URI"] == "sqlite:///m.db"


def test_the_json_line_is_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "import json, sys\n"
        "print('a rich table | with columns')\n"
        f"print(json.dumps({RESULT!r}))\n"
        "print(json.dumps(sys.argv[1:]), file=sys.stderr)\n"
    )
    report = fake_cli(tmp_path, body, monkeypatch).train("MSFT", fine_tune=True)
    assert (report.version, report.promoted, report.gate_decision, report.gate_p_value) == (
        7,
        False,
        "reject",
        0.31,
    )
    assert report.reasons == ("candidate MASE 1.01 > champion 0.99",)


def test_a_non_zero_exit_fails_with_the_stderr_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "import sys\nprint('error: no prices for MSFT', file=sys.stderr)\nsys.exit(2)\n"
    with pytest.raises(TrainingFailed, match=r"exited with code 2: error: no prices for MSFT"):
        fake_cli(tmp_path, body, monkeypatch).train("MSFT", fine_tune=False)


def test_no_json_line_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "print('trained, but said nothing useful')\n"
    with pytest.raises(TrainingFailed, match="no JSON result line"):
        fake_cli(tmp_path, body, monkeypatch).train("MSFT", fine_tune=False)


def test_a_hung_training_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trainer = fake_cli(tmp_path, "import time\ntime.sleep(30)\n", monkeypatch)
    trainer.timeout_seconds = 0.5
    with pytest.raises(TrainingFailed, match=r"timed out after 0\.5 s and was killed"):
        trainer.train("MSFT", fine_tune=False)


def test_a_missing_interpreter_fails_cleanly() -> None:
    trainer = ChildProcessTrainer("sqlite://", "sqlite://", [], 5, python="/nonexistent/python")
    with pytest.raises(TrainingFailed, match="could not start"):
        trainer.train("MSFT", fine_tune=False)


@pytest.mark.parametrize(
    ("stdout", "version"),
    [
        (json.dumps(RESULT), 7),
        ("noise\n" + json.dumps(RESULT) + "\n\n", 7),
        (json.dumps({**RESULT, "version": 1}) + "\n" + json.dumps(RESULT), 7),  # the last one
        (json.dumps({**RESULT, "gate": None}), 7),
        ("{not json}", None),
        (json.dumps({"version": 3}), None),  # no `promoted`
        (json.dumps({**RESULT, "promoted": "yes"}), None),
        ("", None),
    ],
)
def test_parse_result_line(stdout: str, version: int | None) -> None:
    report = parse_result_line(stdout, "MSFT")
    assert (report.version if report else None) == version


def test_a_non_finite_p_value_is_none() -> None:
    line = json.dumps({**RESULT, "gate": {"decision": "reject", "p_value": float("nan")}})
    report = parse_result_line(line, "MSFT")
    assert report is not None and report.gate_p_value is None
