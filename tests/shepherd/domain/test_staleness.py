"""Staleness: sessions missing between the newest stored close and the last completed session,
on the real XNYS calendar (holidays, half days) and on a hand-made one."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from shepherd.domain.staleness import CalendarRangeError, Sessions, staleness

NEW_YORK = ZoneInfo("America/New_York")
HISTORY_START = date(1986, 1, 1)


def ny(day: str, clock: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), NEW_YORK)


CASES = [
    # name, newest stored close, now (New York), missing, last completed session
    ("fresh after the close", "2024-11-26", ny("2024-11-26", "17:00"), 0, "2024-11-26"),
    ("fresh: today's session not closed", "2024-11-25", ny("2024-11-26", "15:59"), 0, "2024-11-25"),
    ("stale by one session at the close", "2024-11-25", ny("2024-11-26", "16:00"), 1, "2024-11-26"),
    ("stale by one day, next morning", "2024-11-25", ny("2024-11-27", "09:00"), 1, "2024-11-26"),
    ("Friday close, Monday before close", "2024-11-22", ny("2024-11-25", "10:00"), 0, "2024-11-22"),
    ("Friday missing, seen on Sunday", "2024-11-21", ny("2024-11-24", "12:00"), 1, "2024-11-22"),
    ("Thanksgiving is no session", "2024-11-27", ny("2024-11-28", "20:00"), 0, "2024-11-27"),
    ("half day before its 13:00 close", "2024-11-27", ny("2024-11-29", "12:59"), 0, "2024-11-27"),
    ("half day after its 13:00 close", "2024-11-27", ny("2024-11-29", "13:30"), 1, "2024-11-29"),
    ("long weekend: Memorial Day", "2024-05-24", ny("2024-05-27", "20:00"), 0, "2024-05-24"),
    ("long weekend: Tuesday after", "2024-05-23", ny("2024-05-28", "09:00"), 1, "2024-05-24"),
    ("Christmas week: half day, holiday", "2024-12-23", ny("2024-12-27", "17:00"), 3, "2024-12-27"),
    ("a week behind", "2024-11-15", ny("2024-11-22", "18:00"), 5, "2024-11-22"),
    ("stored past the last close", "2024-11-26", ny("2024-11-26", "10:00"), 0, "2024-11-25"),
]


@pytest.mark.parametrize(
    ("newest", "now", "missing", "last"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_missing_sessions(
    sessions: Sessions, newest: str, now: datetime, missing: int, last: str
) -> None:
    result = staleness(date.fromisoformat(newest), now, sessions, HISTORY_START)
    assert result.missing == missing
    assert result.last_completed == date.fromisoformat(last)
    assert result.fresh == (missing == 0)


def test_the_range_to_load_is_the_missing_sessions(sessions: Sessions) -> None:
    result = staleness(date(2024, 12, 23), ny("2024-12-27", "17:00"), sessions, HISTORY_START)
    assert (result.first_missing, result.last_missing) == (date(2024, 12, 24), date(2024, 12, 27))
    assert "3 session(s) missing (2024-12-24..2024-12-27" in result.describe()


def test_nothing_stored_means_everything_since_the_history_start(sessions: Sessions) -> None:
    result = staleness(None, ny("2024-11-27", "17:00"), sessions, date(2024, 11, 25))
    assert (result.missing, result.first_missing, result.last_missing) == (
        3,
        date(2024, 11, 25),
        date(2024, 11, 27),
    )


def test_fresh_describes_itself(sessions: Sessions) -> None:
    result = staleness(date(2024, 11, 27), ny("2024-11-28", "20:00"), sessions, HISTORY_START)
    assert result.describe().startswith("fresh: newest close 2024-11-27")


def hand_made() -> Sessions:
    """Three sessions closing at 21:00 UTC, the middle one a half day at 18:00 UTC."""
    days = np.array(["2030-01-02", "2030-01-03", "2030-01-06"], dtype="datetime64[D]")
    closes = np.array(
        ["2030-01-02T21:00", "2030-01-03T18:00", "2030-01-06T21:00"], dtype="datetime64[s]"
    )
    return Sessions(days, closes, name="TEST")


@pytest.mark.parametrize(
    ("now", "missing"),
    [
        (datetime(2030, 1, 2, 20, 59, tzinfo=UTC), 0),
        (datetime(2030, 1, 3, 18, 0, tzinfo=UTC), 1),
        (datetime(2030, 1, 5, 12, 0, tzinfo=UTC), 1),
        (datetime(2030, 1, 6, 21, 0, tzinfo=UTC), 2),
    ],
)
def test_pure_over_any_session_table(now: datetime, missing: int) -> None:
    assert staleness(date(2030, 1, 2), now, hand_made(), HISTORY_START).missing == missing


def test_before_the_first_close_nothing_is_complete() -> None:
    result = staleness(None, datetime(2030, 1, 1, tzinfo=UTC), hand_made(), HISTORY_START)
    assert (result.last_completed, result.missing) == (None, 0)


def test_past_the_calendar_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarRangeError, match="TEST calendar ends"):
        staleness(date(2030, 1, 2), datetime(2030, 2, 1, tzinfo=UTC), hand_made(), HISTORY_START)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        staleness(date(2030, 1, 2), datetime(2030, 1, 3), hand_made(), HISTORY_START)
