"""The XNYS calendar as the shepherd loads it: from 1986, with holidays and half days."""

from datetime import date

import numpy as np

from shepherd.adapters.calendar import ExchangeCalendar


def test_sessions_and_closes(xnys: ExchangeCalendar) -> None:
    sessions = xnys.sessions
    assert xnys.timezone == "America/New_York"
    assert sessions.days[0] <= np.datetime64("1986-03-13")  # MSFT's first day is covered
    assert sessions.between(date(2024, 11, 27), date(2024, 12, 2)) == [
        date(2024, 11, 29),  # Thanksgiving (11-28) is no session
        date(2024, 12, 2),
    ]
    index = int(np.searchsorted(sessions.days, np.datetime64("2024-11-29")))
    assert sessions.closes[index] == np.datetime64("2024-11-29T18:00:00")  # 13:00 New York
    assert sessions.closes[index + 1] == np.datetime64("2024-12-02T21:00:00")  # 16:00 EST
