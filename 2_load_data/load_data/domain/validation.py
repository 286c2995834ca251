"""Pure request validation: ticker format, strict ISO dates and the load-range rules.

Every failure names the request field it is about, so the API can answer a 422 that says
exactly what to fix.
"""

import re
from datetime import date, timedelta

# Yahoo symbols: letters, digits and . - ^ = (BRK-B, ^GSPC, EURUSD=X); the column holds 16.
TICKER_PATTERN = re.compile(r"^[A-Z0-9^][A-Z0-9.\-=^]{0,15}$")
# Only YYYY-MM-DD: date.fromisoformat also takes "20240101", which we refuse as ambiguous.
ISO_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# One request may span at most 50 years: the whole history of any listed stock fits
# (MSFT's starts 1986), while a typo such as 1024-01-01 is refused instead of fetched.
MAX_RANGE_DAYS = 50 * 366
MAX_RANGE_DESCRIPTION = "50 years (18,300 days)"


class InvalidField(ValueError):
    """A request field holds a value the loader refuses; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_ticker(raw: str, field: str = "ticker") -> str:
    """Upper-case and strip a ticker; refuse anything that is not a plausible symbol."""
    ticker = raw.strip().upper()
    if not TICKER_PATTERN.fullmatch(ticker):
        raise InvalidField(
            field,
            f"{field} {raw!r} is not a ticker symbol: use 1-16 letters, digits or . - ^ =, "
            "e.g. 'MSFT' or 'BRK-B'",
        )
    return ticker


def parse_iso_date(value: object, field: str) -> date:
    """A date from a strict 'YYYY-MM-DD' string (or a date object); anything else is refused."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE_PATTERN.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise InvalidField(
                field, f"{field} {value!r} is not a calendar date: {error}"
            ) from None
    raise InvalidField(field, f"{field} must be an ISO date 'YYYY-MM-DD', got {value!r}")


def check_date_order(start: date, end: date) -> None:
    if start > end:
        raise InvalidField("start_date", f"start_date {start} is after end_date {end}")


def check_load_range(start: date, end: date, today: date) -> None:
    """Rules for a range to fetch: ordered, not wholly in the future, not wider than the limit."""
    check_date_order(start, end)
    if start > today:
        raise InvalidField(
            "start_date",
            f"start_date {start} is in the future (today is {today}): there are no prices yet",
        )
    if (end - start) > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidField(
            "end_date",
            f"the range {start}..{end} is wider than the limit of {MAX_RANGE_DESCRIPTION}; "
            "split it into several loads",
        )
