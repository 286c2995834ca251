"""Rules every service applies to the same inputs: ticker symbols and ISO dates.

Every failure names the field it is about, so an api can answer a 422 saying what to fix.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

# Yahoo symbols: letters, digits and . - ^ = (BRK-B, ^GSPC, EURUSD=X); the column holds 16.
TICKER_PATTERN = re.compile(r"^[A-Z0-9^][A-Z0-9.\-=^]{0,15}$")
# Only YYYY-MM-DD: date.fromisoformat also takes "20240101", which we refuse as ambiguous.
ISO_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TICKER_DESCRIPTION = "Ticker symbol, case-insensitive (stored upper-case), e.g. MSFT or BRK-B"


class InvalidField(ValueError):
    """A field holds a value the suite refuses; `field` names it."""

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


def _ticker(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"ticker must be a string such as 'MSFT', got {value!r}")
    return normalise_ticker(value)


def iso_date(field: str) -> BeforeValidator:
    """A pydantic validator for a strict ISO date named `field` in its messages."""

    def validate(value: object) -> date:
        return parse_iso_date(value, field)

    return BeforeValidator(validate)


# The rule as an OpenAPI pattern (the value is upper-cased and stripped before the check, so
# lower case and surrounding blanks are fine), so clients and fuzzers see it too.
TICKER_SCHEMA_PATTERN = r"^\s*[A-Za-z0-9^][A-Za-z0-9.=^-]{0,15}\s*$"

# For request bodies and query parameters (descriptions are added where used).
Ticker = Annotated[
    str,
    BeforeValidator(_ticker),
    WithJsonSchema({"type": "string", "pattern": TICKER_SCHEMA_PATTERN, "examples": ["MSFT"]}),
]
