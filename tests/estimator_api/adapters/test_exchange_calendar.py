"""The XNYS sessions loaded from exchange_calendars: weekends, US holidays, historic closures,
and far enough back for MSFT's first years."""

import datetime as dt

import pytest

from estimator_api.adapters.exchange_calendar import load_calendar
from estimator_api.domain.trading_calendar import CalendarRangeError, TradingCalendar

D = dt.date


@pytest.fixture(scope="module")
def xnys() -> TradingCalendar:
    return load_calendar("XNYS", "1986-01-01")


@pytest.mark.parametrize(
    ("after", "count", "expected"),
    [
        # Friday -> Monday, Tuesday: the weekend is skipped.
        (D(2017, 11, 10), 2, [D(2017, 11, 13), D(2017, 11, 14)]),
        # A Saturday as_of (not a session itself) still moves to the next session.
        (D(2017, 11, 11), 1, [D(2017, 11, 13)]),
        # Thanksgiving 2016 (Thursday 24th) is closed.
        (D(2016, 11, 23), 2, [D(2016, 11, 25), D(2016, 11, 28)]),
        # Christmas 2024: after the 23rd come the 24th (half day, still a session), 26th, 27th.
        (D(2024, 12, 23), 3, [D(2024, 12, 24), D(2024, 12, 26), D(2024, 12, 27)]),
        # New Year's Day and Independence Day.
        (D(2016, 12, 30), 1, [D(2017, 1, 3)]),
        (D(2019, 7, 3), 1, [D(2019, 7, 5)]),
        # Good Friday 2017 (14 April) is an exchange holiday, not a federal one.
        (D(2017, 4, 13), 1, [D(2017, 4, 17)]),
        # Hurricane Sandy closed the exchange on 29-30 October 2012.
        (D(2012, 10, 26), 1, [D(2012, 10, 31)]),
        # MSFT's first years need the calendar from 1986 (the library's default starts 2006).
        (D(1987, 12, 24), 1, [D(1987, 12, 28)]),
    ],
)
def test_sessions_after(
    xnys: TradingCalendar, after: dt.date, count: int, expected: list[dt.date]
) -> None:
    assert xnys.sessions_after(after, count) == expected


@pytest.mark.parametrize(
    ("day", "is_session"),
    [
        (D(2016, 11, 24), False),
        (D(2016, 11, 25), True),
        (D(2024, 12, 25), False),
        (D(2024, 12, 24), True),
        (D(2017, 11, 11), False),
    ],
)
def test_is_session(xnys: TradingCalendar, day: dt.date, is_session: bool) -> None:
    assert xnys.is_session(day) is is_session


def test_beyond_the_calendar_is_an_error(xnys: TradingCalendar) -> None:
    last = xnys.sessions[-1].item()
    with pytest.raises(CalendarRangeError, match="calendar ends"):
        xnys.sessions_after(last, 1)
