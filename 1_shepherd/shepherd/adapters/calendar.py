"""The exchange's sessions and their closes from the `exchange_calendars` package (holidays,
half days, historic closures), loaded once when the shepherd starts."""

import logging
import warnings
from dataclasses import dataclass

from shepherd.domain.staleness import Sessions

log = logging.getLogger(__name__)

# MSFT's history begins in 1986; the library covers only 20 years back by default.
CALENDAR_START = "1986-01-01"


@dataclass(frozen=True)
class ExchangeCalendar:
    sessions: Sessions
    timezone: str  # where the schedule's crontab is read, e.g. America/New_York


def load_calendar(code: str = "XNYS", start: str = CALENDAR_START) -> ExchangeCalendar:
    """`code`'s sessions from `start` to the library's horizon (about a year ahead)."""
    import exchange_calendars  # about half a second of pandas set-up: only when needed

    with warnings.catch_warnings():
        # Pandas4Warning from the library's own pandas calls, many times per load.
        warnings.simplefilter("ignore")
        calendar = exchange_calendars.get_calendar(code, start=start)
        days = calendar.sessions.values.astype("datetime64[D]")
        closes = calendar.closes.dt.tz_convert("UTC").dt.tz_localize(None)
        closes = closes.values.astype("datetime64[s]")
    log.info("calendar %s: %d sessions %s..%s", code, len(days), days[0], days[-1])
    return ExchangeCalendar(Sessions(days, closes, name=code), timezone=str(calendar.tz))
