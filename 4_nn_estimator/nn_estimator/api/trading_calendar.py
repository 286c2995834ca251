"""Trading days of the tickers' exchange, from a maintained calendar (holidays, early closes,
historic closures) rather than weekday arithmetic."""

import datetime as dt
import logging
import warnings

import numpy as np

log = logging.getLogger(__name__)


class CalendarRangeError(ValueError):
    """The calendar does not reach far enough ahead for the requested steps."""


class TradingCalendar:
    """Sessions as a sorted numpy array of days: lookups are a binary search, no pandas on the
    request path."""

    def __init__(self, sessions: np.ndarray, name: str = "") -> None:
        self.sessions = np.asarray(sessions, dtype="datetime64[D]")
        self.name = name

    @classmethod
    def load(cls, code: str = "XNYS", start: str = "1986-01-01") -> "TradingCalendar":
        import exchange_calendars

        # exchange_calendars covers 20 years back by default; MSFT's history starts in 1986.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendar = exchange_calendars.get_calendar(code, start=start)
            sessions = calendar.sessions.values.astype("datetime64[D]")
        log.info("trading calendar %s: %d sessions %s..%s", code, len(sessions), *sessions[[0, -1]])
        return cls(sessions, name=code)

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
