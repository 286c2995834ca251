"""The one place the shepherd reads the wall clock. Everything else takes a `Clock`, so tests
travel in time by handing in another one."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]  # an aware datetime


def system_clock() -> datetime:
    return datetime.now(UTC)
