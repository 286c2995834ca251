"""What one request may ask for, as tables: date bounds, the history's range, and the drift
work budget; every refusal names the parameter."""

import datetime as dt

import pytest

from metrics_service.domain.limits import (
    MAX_DRIFT_VALUES,
    bounded_date,
    check_drift_budget,
    history_range,
)
from stock_db.rules import InvalidField

D = dt.date
LAST = D(2024, 11, 20)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-20", D(2024, 11, 20)),
        ("1900-01-01", D(1900, 1, 1)),
        ("2199-12-31", D(2199, 12, 31)),
        ("0001-01-01", "outside 1900-01-01..2199-12-31"),
        ("1899-12-31", "outside"),
        ("9999-12-31", "outside"),
        ("2024-02-30", "is not a calendar date"),
        ("20240101", "must be an ISO date"),
        ("2024-1-1", "must be an ISO date"),
        ("yesterday", "must be an ISO date"),
        ("", "must be an ISO date"),
        ("1700000000", "must be an ISO date"),
    ],
)
def test_bounded_date(value: str, expected: dt.date | str) -> None:
    if isinstance(expected, dt.date):
        assert bounded_date(value, "end_date") == expected
        return
    with pytest.raises(InvalidField) as raised:
        bounded_date(value, "end_date")
    assert raised.value.field == "end_date"
    assert expected in raised.value.message


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, (LAST - dt.timedelta(days=180), LAST)),
        (None, D(1900, 1, 1), (D(1899, 7, 5), D(1900, 1, 1))),  # no overflow near the bound
        (D(2024, 1, 1), None, (D(2024, 1, 1), LAST)),
        (D(2023, 1, 1), D(2025, 1, 1), (D(2023, 1, 1), D(2025, 1, 1))),  # 731 days
        (D(2023, 1, 1), D(2025, 1, 2), "start_date: range 2023-01-01..2025-01-02 is longer"),
        (D(2024, 5, 1), D(2024, 4, 1), "start_date: start_date 2024-05-01 is after end_date"),
        (D(2025, 1, 1), None, "start_date: start_date 2025-01-01 is after end_date 2024-11-20"),
    ],
)
def test_history_range(
    start: dt.date | None, end: dt.date | None, expected: tuple[dt.date, dt.date] | str
) -> None:
    if isinstance(expected, tuple):
        assert history_range(start, end, LAST) == expected
        return
    with pytest.raises(InvalidField) as raised:
        history_range(start, end, LAST)
    assert f"{raised.value.field}: {raised.value.message}".startswith(expected)


@pytest.mark.parametrize(
    ("days", "drift_window", "allowed"),
    [
        (180, 60, True),  # the defaults
        (731, 60, True),
        (731, 500, True),
        (731, 546, True),  # 732 days x 546 = 399,672
        (731, 547, False),  # 732 days x 547 = 400,404
        (731, 5000, False),
        (180, 2000, True),
        (0, 5000, True),  # one day
    ],
)
def test_drift_budget(days: int, drift_window: int, allowed: bool) -> None:
    start = D(2023, 1, 1)
    end = start + dt.timedelta(days=days)
    if allowed:
        check_drift_budget(start, end, drift_window)
        return
    with pytest.raises(InvalidField) as raised:
        check_drift_budget(start, end, drift_window)
    assert raised.value.field == "drift_window"
    assert f"above the limit of {MAX_DRIFT_VALUES:,}" in raised.value.message
