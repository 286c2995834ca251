"""The exchange calendar adapter: XNYS's real session closes, half days and holidays."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from load_data.adapters.exchange_calendar import session_closes
from load_data.domain.sessions import last_completed_session


def test_closes_come_from_the_exchange_calendar() -> None:
    closes = session_closes("XNYS", datetime(2024, 11, 29, 17, tzinfo=UTC))
    assert pd.Timestamp("2024-11-28") not in closes.index  # Thanksgiving
    assert closes[pd.Timestamp("2024-11-29")] == pd.Timestamp("2024-11-29 18:00", tz="UTC")
    assert closes[pd.Timestamp("2024-11-27")] == pd.Timestamp("2024-11-27 21:00", tz="UTC")


@pytest.mark.parametrize(
    ("now", "last"),
    [
        (datetime(2024, 11, 29, 17, 59, tzinfo=UTC), date(2024, 11, 27)),
        (datetime(2024, 11, 29, 18, 0, tzinfo=UTC), date(2024, 11, 29)),
        (datetime(2024, 12, 24, 18, 0, tzinfo=UTC), date(2024, 12, 24)),  # half day
        (datetime(2025, 1, 1, 23, 0, tzinfo=UTC), date(2024, 12, 31)),  # New Year's Day
        (datetime(1987, 10, 19, 22, 0, tzinfo=UTC), date(1987, 10, 19)),  # old history too
    ],
)
def test_last_completed_session_on_the_real_calendar(now: datetime, last: date) -> None:
    assert last_completed_session(session_closes("XNYS", now), now) == last


def test_an_unknown_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="NOPE"):
        session_closes("NOPE", datetime(2024, 11, 29, tzinfo=UTC))
