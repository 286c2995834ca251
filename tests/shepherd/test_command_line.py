"""`python -m shepherd run-once`: --help, exit codes, one summary line."""

import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import Engine

from shepherd.__main__ import main
from shepherd.adapters.calendar import ExchangeCalendar
from shepherd.adapters.clock import system_clock
from support.network import closed_url
from support.rows import insert_prices


def test_help_explains_each_option() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shepherd", "run-once", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for words in ("--ticker", "repeatable", "--force", "FINE_TUNE_AFTER_SESSIONS", "Exit status"):
        assert words in done.stdout


def test_a_ticker_outside_tickers_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TICKERS", "MSFT")
    with pytest.raises(SystemExit) as exit_info:
        main(["run-once", "--ticker", "AAPL"])
    assert exit_info.value.code == 2
    assert "not in TICKERS" in capsys.readouterr().err


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TICKERS", "MSFT")
    monkeypatch.setenv("LOAD_DATA_URL", closed_url())
    monkeypatch.setenv("ESTIMATOR_URL", closed_url())
    monkeypatch.setenv("METRICS_URL", closed_url())
    monkeypatch.setenv("HTTP_ATTEMPTS", "1")


@pytest.mark.usefixtures("environment")
def test_fresh_data_exits_0_with_one_line(
    engine: Engine, xnys: ExchangeCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    last = xnys.sessions.last_completed(system_clock())
    assert last is not None
    insert_prices(engine, [last], [100.0])
    assert main(["run-once", "--ticker", "msft"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("shepherd run-once: MSFT: nothing_to_do (run ")
    assert "fresh: newest close" in lines[0]


@pytest.mark.usefixtures("environment")
def test_a_failed_cycle_exits_1_with_the_reason(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    insert_prices(engine, [date(2017, 11, 10)], [100.0])
    assert main(["run-once"]) == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith("shepherd run-once: MSFT: failed (run ")
    assert "failed at load: 2_load_data: POST http://127.0.0.1:" in line


@pytest.mark.parametrize(
    ("argv", "port"), [([], 8004), (["serve", "--port", "9999", "--host", "0.0.0.0"], 9999)]
)
def test_serve_is_the_default_command(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], port: int
) -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr("uvicorn.run", lambda target, **options: calls.append((target, options)))
    assert main(argv) == 0
    assert calls == [
        (
            "shepherd.main:create_app",
            {"factory": True, "host": "0.0.0.0" if argv else "127.0.0.1", "port": port},
        )
    ]
