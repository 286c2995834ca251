"""Trading-day lookups over the sessions of the tickers' exchange: a maintained calendar
(holidays, early closes, historic closures; adapters/exchange_calendar.py loads it) rather
than weekday arithmetic."""

import datetime as dt

import numpy as np


class CalendarRangeError(ValueError):
    """The calendar does not reach far enough ahead for the requested steps."""


class TradingCalendar:
    """Sessions as a sorted numpy array of days: lookups are a binary search, no pandas on the
    request path."""

    def __init__(self, sessions: np.ndarray, name: str = "") -> None:
        self.sessions = np.asarray(sessions, dtype="datetime64[D]")
        self.name = name

    def sessions_after(self, day: dt.date, count: int) -> list[dt.date]:
        """The `count` sessions strictly after `day` (which need not be a session itself)."""
        start = int(np.searchsorted(self.sessions, np.datetime64(day, "D"), side="right"))
        chosen = self.sessions[start : start + count]
        if len(chosen) < count:
            raise CalendarRangeError(
                f"the {self.name} calendar ends on {self.sessions[-1]}; "
                f"cannot list {count} sessions after {day}"
            )
        return [d.item() for d in chosen]

    def is_session(self, day: dt.date) -> bool:
        index = int(np.searchsorted(self.sessions, np.datetime64(day, "D")))
        return bool(index < len(self.sessions) and self.sessions[index] == np.datetime64(day, "D"))
