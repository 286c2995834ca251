"""Session closes from exchange_calendars (EXCHANGE_CALENDAR, default XNYS).

Building a calendar takes about half a second, so one is kept per calendar and year of the
clock, spanning the year before to the year after.
"""

import warnings
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import pandas as pd

from load_data.domain.sessions import last_completed_session


@lru_cache(maxsize=8)
def _calendar(name: str, year: int) -> Any:
    import exchange_calendars  # imported lazily: slow to import, only loads need it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecation noise from the library
        try:
            return exchange_calendars.get_calendar(
                name, start=f"{year - 1}-01-01", end=f"{year + 1}-12-31"
            )
        except exchange_calendars.errors.InvalidCalendarName as error:
            raise ValueError(f"unknown exchange calendar {name!r}: {error}") from None


def session_closes(name: str, now: datetime, days_back: int = 30) -> pd.Series:
    """The close (UTC) of each session of calendar `name` from `days_back` days before `now` to
    the day after, indexed by session date."""
    calendar = _calendar(name, now.year)
    closes: pd.Series = calendar.schedule["close"]
    first = pd.Timestamp(now.date() - timedelta(days=days_back))
    last = pd.Timestamp(now.date() + timedelta(days=1))
    return closes[(closes.index >= first) & (closes.index <= last)]


def is_known_calendar(name: str) -> bool:
    import exchange_calendars

    return name in exchange_calendars.get_calendar_names(include_aliases=True)


def last_completed_session_at(name: str, now: datetime) -> date | None:
    """The last session of `name` that has closed at `now`."""
    return last_completed_session(session_closes(name, now), now)
