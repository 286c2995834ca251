"""Session lookups over a given sessions array (the XNYS data itself is tested with its
adapter): binary search, days that are not sessions, the calendar's end."""

import datetime as dt

import numpy as np
import pytest

from estimator_api.domain.trading_calendar import CalendarRangeError, TradingCalendar

D = dt.date
# Thu 19, Fri 20, Mon 23 and Wed 25 December 2030 (Tue 24 closed in this calendar).
CALENDAR = TradingCalendar(
    np.array(["2030-12-19", "2030-12-20", "2030-12-23", "2030-12-25"], dtype="datetime64[D]"),
    name="TEST",
)


@pytest.mark.parametrize(
    ("after", "count", "expected"),
    [
        (D(2030, 12, 19), 1, [D(2030, 12, 20)]),
        (D(2030, 12, 20), 2, [D(2030, 12, 23), D(2030, 12, 25)]),  # weekend and 24th skipped
        (D(2030, 12, 21), 1, [D(2030, 12, 23)]),  # a Saturday: the next session
        (D(2030, 12, 1), 4, [D(2030, 12, 19), D(2030, 12, 20), D(2030, 12, 23), D(2030, 12, 25)]),
        (D(2030, 12, 19), 0, []),
    ],
)
def test_sessions_after(after: dt.date, count: int, expected: list[dt.date]) -> None:
    assert CALENDAR.sessions_after(after, count) == expected


@pytest.mark.parametrize(
    ("after", "count"), [(D(2030, 12, 23), 2), (D(2030, 12, 25), 1), (D(2031, 1, 1), 1)]
)
def test_past_the_end_of_the_calendar_is_an_error(after: dt.date, count: int) -> None:
    with pytest.raises(CalendarRangeError, match="the TEST calendar ends on 2030-12-25"):
        CALENDAR.sessions_after(after, count)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2030, 12, 19), True),
        (D(2030, 12, 24), False),
        (D(2030, 12, 25), True),
        (D(2030, 12, 18), False),  # before the first session
        (D(2031, 1, 2), False),  # after the last
    ],
)
def test_is_session(day: dt.date, expected: bool) -> None:
    assert CALENDAR.is_session(day) is expected
