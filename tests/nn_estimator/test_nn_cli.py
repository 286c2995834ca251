"""The CLI: one-line errors with exit code 2, and a working train with a summary table."""

import pytest
from sqlalchemy import Engine

from nn_estimator.cli import build_parser, main


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
    assert "lstm-MSFT v1" in out and "naive" in out and "MASE" in out
    assert "promoted to champion" in out


def test_help_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(word in out for word in ("train", "study", "bootstrap", "MLFLOW_TRACKING_URI"))
