"""How far behind the stored prices are: the exchange's sessions after the newest stored close,
up to the last session that has *closed* by `now`.

A session counts once its close has passed, so the half day after Thanksgiving (closing 13:00
New York time) is complete at 13:00, a Friday is the newest complete session until Monday's
close, and holidays are simply not sessions. The closes come from the exchange calendar
(adapters/calendar.py); everything here is pure.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np


class CalendarRangeError(ValueError):
    """`now` lies past the last close the calendar knows: it must be reloaded (or upgraded)."""


@dataclass(frozen=True, eq=False)
class Sessions:
    """An exchange's sessions, oldest first: `days` (datetime64[D]) and the instant each one
    closes (`closes`, datetime64[s] in UTC, naive)."""

    days: np.ndarray
    closes: np.ndarray
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.days) != len(self.closes) or len(self.days) == 0:
            raise ValueError("sessions need one close per day, and at least one day")

    def last_completed(self, now: datetime) -> date | None:
        """The newest session whose close is at or before `now` (aware); None before the
        first close the calendar knows."""
        instant = _utc64(now)
        if instant > self.closes[-1]:
            raise CalendarRangeError(
                f"the {self.name or 'exchange'} calendar ends with the session of "
                f"{self.days[-1]}; {now.isoformat()} is past its last close"
            )
        index = int(np.searchsorted(self.closes, instant, side="right")) - 1
        return None if index < 0 else _date(self.days[index])

    def between(self, after: date | None, through: date | None) -> list[date]:
        """Sessions strictly after `after` (None: from the first) up to `through` inclusive."""
        if through is None:
            return []
        first = 0 if after is None else _index_after(self.days, after)
        last = int(np.searchsorted(self.days, np.datetime64(through, "D"), side="right"))
        return [_date(day) for day in self.days[first:last]]

    def count_between(self, after: date | None, through: date | None) -> int:
        return len(self.between(after, through))


@dataclass(frozen=True)
class Staleness:
    newest_stored: date | None  # the newest stored close of the ticker (None: nothing stored)
    last_completed: date | None  # the newest session closed by `now`
    missing: int  # sessions after newest_stored up to last_completed
    first_missing: date | None
    last_missing: date | None

    @property
    def fresh(self) -> bool:
        return self.missing == 0

    def describe(self) -> str:
        if self.fresh:
            return (
                f"fresh: newest close {self.newest_stored} is the last completed session "
                f"({self.last_completed})"
            )
        stored = self.newest_stored or "nothing stored"
        return (
            f"{self.missing} session(s) missing ({self.first_missing}..{self.last_missing}; "
            f"newest stored: {stored})"
        )


def staleness(
    newest_stored: date | None, now: datetime, sessions: Sessions, history_start: date
) -> Staleness:
    """The sessions missing after `newest_stored` as of `now`; with nothing stored, every
    session from `history_start` on."""
    last = sessions.last_completed(now)
    after = newest_stored
    if after is None:
        missing = [d for d in sessions.between(None, last) if d >= history_start]
    else:
        missing = sessions.between(after, last)
    return Staleness(
        newest_stored=newest_stored,
        last_completed=last,
        missing=len(missing),
        first_missing=missing[0] if missing else None,
        last_missing=missing[-1] if missing else None,
    )


def _utc64(moment: datetime) -> np.datetime64:
    if moment.tzinfo is None:
        raise ValueError(f"an aware datetime is needed, got {moment!r}")
    return np.datetime64(moment.astimezone(UTC).replace(tzinfo=None), "s")


def _index_after(days: np.ndarray, day: date) -> int:
    return int(np.searchsorted(days, np.datetime64(day, "D"), side="right"))


def _date(day: np.datetime64) -> date:
    value: date = day.astype("datetime64[D]").item()
    return value
