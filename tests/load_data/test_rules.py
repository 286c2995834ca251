"""Pure rules, as tables of cases: validation, cleaning, diffing, Yahoo failure classification."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from load_data.domain.price_rows import clean_prices, diff_prices
from load_data.domain.validation import (
    InvalidField,
    check_load_range,
    normalise_ticker,
    parse_iso_date,
)
from load_data.sources import source_from_setting
from load_data.sources.csv_file import CsvFileSource
from load_data.sources.sample import SampleSource
from load_data.sources.yahoo import YahooSource, classify_yahoo_failure

TODAY = date(2024, 11, 20)


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


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2024, 2, 1), date(2024, 1, 1), "start_date"),  # reversed
        (date(2024, 11, 21), date(2024, 12, 31), "start_date"),  # wholly in the future
        (date(1950, 1, 1), date(2024, 1, 1), "end_date"),  # wider than 50 years
    ],
)
def test_bad_ranges_name_the_field(start: date, end: date, field: str) -> None:
    with pytest.raises(InvalidField) as error:
        check_load_range(start, end, TODAY)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(1986, 1, 1), TODAY),  # the bootstrap's full history fits the limit
        (date(2024, 11, 1), date(2024, 12, 31)),  # ends in the future: fine, starts in the past
        (TODAY, TODAY),
    ],
)
def test_good_ranges_pass(start: date, end: date) -> None:
    check_load_range(start, end, TODAY)


def _frame(*rows: tuple[object, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "open", "high", "low", "close", "volume"])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("2024-01-03", np.nan, 2.0, 1.0, 1.5, 10), "missing value"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, np.nan), "missing value"),
        (("not a date", 1.0, 2.0, 1.0, 1.5, 10), "missing value"),
        (("2024-01-03", 0.0, 2.0, 1.0, 1.5, 10), "non-positive price"),
        (("2024-01-03", 1.0, 2.0, -1.0, 1.5, 10), "non-positive price"),
        (("2024-01-03", 1.5, 1.0, 2.0, 1.5, 10), "high below low"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, -5), "negative volume"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, 1e19), "volume out of range"),
        (("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10), "duplicate date"),
    ],
)
def test_rows_breaking_the_checks_are_dropped_and_counted(
    row: tuple[object, ...], reason: str
) -> None:
    good = ("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10)
    frame = _frame(good, row)
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    cleaned = clean_prices(frame, date(2024, 1, 1), date(2024, 1, 31))
    assert cleaned.rejected == 1
    assert cleaned.reasons == {reason: 1}
    assert len(cleaned.frame) == 1
    assert cleaned.frame["volume"].dtype == "int64"


def test_rows_outside_the_range_are_not_counted_as_rejected() -> None:
    frame = _frame(("2023-12-29", 1.0, 2.0, 1.0, 1.5, 10), ("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10))
    cleaned = clean_prices(frame, date(2024, 1, 1), date(2024, 1, 31))
    assert (cleaned.rejected, len(cleaned.frame)) == (0, 1)


def test_diff_splits_new_changed_and_identical_rows() -> None:
    incoming = clean_prices(
        _frame(
            ("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10),  # identical to stored
            ("2024-01-03", 1.0, 2.0, 1.0, 1.6, 10),  # close changed
            ("2024-01-04", 1.0, 2.0, 1.0, 1.5, 10),  # same values, other source label
            ("2024-01-05", 1.0, 2.0, 1.0, 1.5, 10),  # new
        ),
        date(2024, 1, 1),
        date(2024, 1, 31),
    ).frame
    stored = _frame(
        (date(2024, 1, 2), 1.0, 2.0, 1.0, 1.5, 10),
        (date(2024, 1, 3), 1.0, 2.0, 1.0, 1.5, 10),
        (date(2024, 1, 4), 1.0, 2.0, 1.0, 1.5, 10),
    )
    stored["source"] = ["sample", "sample", "yahoo"]
    diff = diff_prices(incoming, stored, "sample")
    assert diff.new["date"].dt.day.tolist() == [5]
    assert diff.changed["date"].dt.day.tolist() == [3, 4]


@pytest.mark.parametrize(
    ("messages", "kind"),
    [
        (
            ["['MSFT']: YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')"],
            "rate_limited",
        ),
        (
            ["['ZZZZ']: YFTzMissingError('$ZZZZ: possibly delisted; no timezone found')"],
            "unknown_ticker",
        ),
        (
            ["['ZZZZ']: YFPricesMissingError('$ZZZZ: possibly delisted; no price data found')"],
            "unknown_ticker",
        ),
        (
            ["['MSFT']: DNSError('Failed to perform, curl: (6) Could not resolve host')"],
            "unreachable",
        ),
        ([], "unreachable"),
        # offline: the first attempt fails on DNS, the retry blames the ticker's time zone
        (
            [
                "['MSFT']: DNSError('Could not resolve host')",
                "['MSFT']: possibly delisted; no timezone found",
            ],
            "unreachable",
        ),
    ],
)
def test_yahoo_failures_are_classified(messages: list[str], kind: str) -> None:
    assert classify_yahoo_failure(messages) == kind


@pytest.mark.parametrize(
    ("setting", "kind", "name"),
    [
        ("yahoo", YahooSource, "yahoo"),
        ("sample", SampleSource, "sample"),
        ("csv:/data/prices.csv", CsvFileSource, "csv:prices.csv"),
    ],
)
def test_sources_come_from_their_setting(setting: str, kind: type, name: str) -> None:
    source = source_from_setting(setting)
    assert isinstance(source, kind)
    assert source.name == name


@pytest.mark.parametrize("setting", ["", "csv:", "stooq", "Sample"])
def test_unknown_source_settings_are_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="unknown price source"):
        source_from_setting(setting)
