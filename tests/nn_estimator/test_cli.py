"""The CLI: one-line errors with exit code 2, a working train with a summary table, and the
--json result line the shepherd reads."""

import json
import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import Engine

from nn_estimator.cli import build_parser, config_from, main
from nn_estimator.config import TrainConfig


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, database_url: str, tracking_uri: str) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_uri)
    return tracking_uri


TINY_ARGS = [
    "--epochs",
    "1",
    "--window",
    "20",
    "--hidden",
    "8",
    "--eval-days",
    "60",
    "--val-days",
    "60",
]


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_unknown_ticker(environment: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--ticker", "NOPE", *TINY_ARGS]) == 2
    assert one_error_line(capsys).startswith("error: no prices for ticker 'NOPE'")


def test_too_few_rows(
    environment: str, loaded_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--ticker", "MSFT", "--eval-days", "990"]) == 2
    assert "has 1000 daily closes but" in one_error_line(capsys)


def test_mlflow_unreachable(
    monkeypatch: pytest.MonkeyPatch, environment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:9")  # discard port: refuses
    assert main(["train", "--ticker", "MSFT"]) == 2
    assert "MLflow tracking server http://127.0.0.1:9 is unreachable" in one_error_line(capsys)
    assert main(["bootstrap"]) == 2
    assert "unreachable" in one_error_line(capsys)


def test_fine_tune_without_champion(
    environment: str, loaded_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--ticker", "MSFT", "--fine-tune", *TINY_ARGS]) == 2
    assert "no champion model for 'MSFT' to fine-tune" in one_error_line(capsys)


def test_train_prints_the_summary_table(
    environment: str, loaded_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--ticker", "msft", *TINY_ARGS]) == 0
    out = capsys.readouterr().out
    assert "lstm-MSFT v1" in out and "naive" in out and "drift" in out
    for column in ("rel MAE", "MASE", "always up", "PT p", "DM p vs naive", "DM p vs drift"):
        assert column in out, column
    assert "promoted to champion" in out and "No champion yet" in out


def test_train_json_prints_one_result_line_on_stdout(
    environment: str, loaded_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--ticker", "msft", *TINY_ARGS, "--json"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1, lines
    result = json.loads(lines[0])
    assert {"ticker", "model_name", "version", "promoted", "reasons", "gate", "train_end"} <= set(
        result
    )
    assert (result["ticker"], result["model_name"], result["version"]) == ("MSFT", "lstm-MSFT", 1)
    assert result["promoted"] is True and result["gate"]["decision"] == "promote"
    assert isinstance(result["gate"]["p_value"], float)
    assert result["gate"]["p_value"] == result["gate"]["naive"]["h1"]["p_worse"]
    assert result["reasons"] == result["gate"]["reasons"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", result["train_end"])
    assert isinstance(result["seconds"], float) and result["seconds"] > 0
    # The human table goes to stderr.
    assert "lstm-MSFT v1" in captured.err and "MASE" in captured.err


CONFIG_OPTIONS = (
    "--epochs",
    "--window",
    "--hidden",
    "--eval-days",
    "--val-days",
    "--seed",
    "--interval",
    "--margin",
    "--gate-p",
    "--gate-min-gain",
)


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (
            ["--help"],
            ("train", "study", "bootstrap", "DATABASE_URL", "MLFLOW_TRACKING_URI", "TICKERS"),
        ),
        (["train", "--help"], ("--ticker", "--fine-tune", "--json", *CONFIG_OPTIONS)),
        (["study", "--help"], ("--ticker", *CONFIG_OPTIONS)),
    ],
    ids=["top", "train", "study"],
)
def test_help_lists_every_command_option_and_variable(
    argv: list[str], names: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert [name for name in names if name not in out] == []


def test_options_reach_the_config() -> None:
    args = build_parser().parse_args(
        [
            *("train", "--ticker", "MSFT", "--fine-tune", *TINY_ARGS),
            *("--seed", "7", "--margin", "0.1", "--interval", "0.8"),
        ]
    )
    config = config_from(args, TrainConfig())
    assert (config.max_epochs, config.fine_tune_epochs) == (1, 1)
    assert (config.input_length, config.hidden_size) == (20, 8)
    assert (config.eval_days, config.val_days, config.seed, config.gate_margin) == (60, 60, 7, 0.1)
    assert config.interval == 0.8
    untouched = config_from(build_parser().parse_args(["study"]), TrainConfig())
    assert untouched == TrainConfig()


@pytest.mark.skipif(
    "gate_p" not in TrainConfig.__dataclass_fields__,
    reason="TrainConfig has no gate_p / gate_min_gain fields yet",
)
def test_gate_options_reach_the_config_and_the_gate() -> None:
    from nn_estimator.usecases.scoring import gate_policy

    args = build_parser().parse_args(
        ["train", "--ticker", "MSFT", "--gate-p", "0.01", "--gate-min-gain", "0.02"]
    )
    policy = gate_policy(config_from(args, TrainConfig()))
    assert (policy.p_level, policy.min_gain) == (0.01, 0.02)


def test_importing_the_cli_changes_nothing_and_loads_neither_torch_nor_mlflow() -> None:
    probe = (
        "import os, sys; before = dict(os.environ); import nn_estimator.cli; "
        "print(dict(os.environ) == before, 'torch' in sys.modules, 'mlflow' in sys.modules)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "MLFLOW_DISABLE_TELEMETRY"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.split() == ["True", "False", "False"]
