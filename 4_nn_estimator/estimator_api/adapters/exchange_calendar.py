"""The sessions of an exchange from the `exchange_calendars` package (holidays, early closes,
historic closures), loaded once at start-up."""

import logging
import warnings

from estimator_api.domain.trading_calendar import TradingCalendar

log = logging.getLogger(__name__)


def load_calendar(code: str = "XNYS", start: str = "1986-01-01") -> TradingCalendar:
    """The sessions of `code` from `start` (MSFT's history begins in 1986; the library covers
    only 20 years back by default) to the library's horizon, about a year ahead."""
    import exchange_calendars  # about a second of pandas set-up: only when a service starts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendar = exchange_calendars.get_calendar(code, start=start)
        sessions = calendar.sessions.values.astype("datetime64[D]")
    log.info("trading calendar %s: %d sessions %s..%s", code, len(sessions), *sessions[[0, -1]])
    return TradingCalendar(sessions, name=code)
