"""What a load may ask for: the range limits and the sources a request may name."""

from datetime import date

import pytest

from load_data.domain.load_range import check_load_range, choose_source
from stock_db.rules import InvalidField

TODAY = date(2024, 11, 20)


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


@pytest.mark.parametrize(
    ("requested", "configured", "chosen"),
    [
        (None, "yahoo", "yahoo"),  # omitted: PRICE_SOURCE
        ("sample", "yahoo", "sample"),
        ("yahoo", "csv:/data/prices.csv", "yahoo"),
        ("csv:/data/prices.csv", "csv:/data/prices.csv", "csv:/data/prices.csv"),
    ],
)
def test_requests_choose_their_source(requested: str | None, configured: str, chosen: str) -> None:
    assert choose_source(requested, configured) == chosen


@pytest.mark.parametrize("requested", ["csv:/etc/passwd", "stooq", "Sample", ""])
def test_requests_cannot_name_other_sources(requested: str) -> None:
    with pytest.raises(InvalidField) as error:
        choose_source(requested, "csv:/data/prices.csv")
    assert error.value.field == "source"
