"""Only completed sessions are stored: a bar dated on a session that has not closed yet is an
intraday price, not a close, and a bar dated after today is not a price at all.

Pure: the session closes (from the exchange calendar, load_data.adapters.exchange_calendar)
and the clock are parameters.
"""

from datetime import date, datetime

import pandas as pd


def last_completed_session(session_closes: pd.Series, now: datetime) -> date | None:
    """The last session whose close is at or before `now`, or None when none is.

    `session_closes` is indexed by session date (midnight, no time zone) and holds each
    session's close as a UTC instant, as exchange_calendars' schedule has it: half days close
    early, holidays and weekends are absent. `now` must carry its time zone.
    """
    if now.tzinfo is None:
        raise ValueError("the clock must give a time with its time zone (e.g. UTC)")
    closed = session_closes[session_closes <= pd.Timestamp(now)]
    if closed.empty:
        return None
    return pd.Timestamp(closed.index[-1]).date()
