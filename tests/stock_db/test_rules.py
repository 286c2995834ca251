"""The suite's input rules (stock_db.rules), as tables of cases: tickers and strict ISO dates."""

from datetime import date

import pytest

from stock_db.rules import InvalidField, normalise_ticker, parse_iso_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("msft", "MSFT"),
        (" MSFT ", "MSFT"),
        ("brk-b", "BRK-B"),
        ("^GSPC", "^GSPC"),
        ("EURUSD=X", "EURUSD=X"),
        ("BRK.B", "BRK.B"),
    ],
)
def test_tickers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_ticker(raw) == expected


@pytest.mark.parametrize("raw", ["", "ms ft", "MSFT;DROP", "A" * 17, "-MSFT", "мsft", "$MSFT"])
def test_malformed_tickers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidField) as error:
        normalise_ticker(raw)
    assert error.value.field == "ticker"


@pytest.mark.parametrize(
    "value",
    [
        "20240101",
        1700000000,
        "2024-1-1",
        "2024-02-30",
        "2024-01-01T00:00:00",
        None,
        "01/02/2024",
        20240101.0,
    ],
)
def test_only_strict_iso_dates_are_accepted(value: object) -> None:
    with pytest.raises(InvalidField, match="start_date"):
        parse_iso_date(value, "start_date")


def test_iso_date_is_parsed() -> None:
    assert parse_iso_date("2024-02-29", "end_date") == date(2024, 2, 29)
