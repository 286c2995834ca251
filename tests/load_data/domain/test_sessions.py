"""Only completed sessions are stored: the last session whose close has passed, as a table of
clocks around Thanksgiving 2024 (a holiday, then a half day closing 13:00 New York time)."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from load_data.domain.price_rows import clean_prices
from load_data.domain.sessions import last_completed_session

# XNYS's closes that week, in UTC (as exchange_calendars gives them): no 11-28 (Thanksgiving),
# 11-29 closes at 13:00 New York time = 18:00 UTC.
CLOSES = pd.Series(
    pd.to_datetime(
        [
            "2024-11-25 21:00",
            "2024-11-26 21:00",
            "2024-11-27 21:00",
            "2024-11-29 18:00",
            "2024-12-02 21:00",
            "2024-12-03 21:00",
        ]
    ).tz_localize("UTC"),
    index=pd.to_datetime(
        ["2024-11-25", "2024-11-26", "2024-11-27", "2024-11-29", "2024-12-02", "2024-12-03"]
    ),
)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "last"),
    [
        ("2024-11-27 20:59", date(2024, 11, 26)),  # Wednesday, one minute before the close
        ("2024-11-27 21:00", date(2024, 11, 27)),  # at the close
        ("2024-11-27 23:30", date(2024, 11, 27)),  # after the close
        ("2024-11-28 16:00", date(2024, 11, 27)),  # Thanksgiving: no session
        ("2024-11-29 17:59", date(2024, 11, 27)),  # half day, before its 13:00 ET close
        ("2024-11-29 18:00", date(2024, 11, 29)),  # half day closed
        ("2024-11-29 20:00", date(2024, 11, 29)),  # after the half day's close, before 16:00 ET
        ("2024-11-30 12:00", date(2024, 11, 29)),  # Saturday
        ("2024-12-01 23:59", date(2024, 11, 29)),  # Sunday night
        ("2024-12-02 15:00", date(2024, 11, 29)),  # Monday, market open
        ("2024-11-25 10:00", None),  # before every close the table knows
    ],
)
def test_the_last_completed_session(now: str, last: date | None) -> None:
    assert last_completed_session(CLOSES, _utc(now)) == last


def test_the_clock_must_know_its_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        last_completed_session(CLOSES, datetime(2024, 11, 29, 18))


def _bars(*days: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(list(days)),
            "open": 1.0,
            "high": 2.0,
            "low": 1.0,
            "close": 1.5,
            "volume": 10,
        }
    )


@pytest.mark.parametrize(
    ("now", "kept"),
    [
        # during the half day: its bar is an intraday price, not a close
        ("2024-11-29 17:00", ["2024-11-26", "2024-11-27"]),
        ("2024-11-29 18:00", ["2024-11-26", "2024-11-27", "2024-11-29"]),
        ("2024-11-30 12:00", ["2024-11-26", "2024-11-27", "2024-11-29"]),  # weekend
        ("2024-11-28 16:00", ["2024-11-26", "2024-11-27"]),  # holiday
    ],
)
def test_bars_of_sessions_not_yet_closed_are_rejected(now: str, kept: list[str]) -> None:
    bars = _bars("2024-11-26", "2024-11-27", "2024-11-29", "2040-01-02")  # and a future row
    last = last_completed_session(CLOSES, _utc(now))
    cleaned = clean_prices(bars, date(2024, 11, 1), date(2040, 12, 31), last_completed=last)
    assert cleaned.frame["date"].dt.strftime("%Y-%m-%d").tolist() == kept
    assert cleaned.reasons == {"session not completed": 4 - len(kept)}
