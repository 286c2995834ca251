"""The one interface every price source implements, and the failures a source may report."""

from datetime import date
from typing import Protocol

import pandas as pd


class PriceSource(Protocol):
    """Where daily prices come from.

    `name` is the label stored with every row and returned in every response.
    `fetch` returns a price frame (load_data.domain.price_rows.PRICE_COLUMNS) for the trading
    days from `start` to `end`, both inclusive; it may hold rows that fail the table's checks,
    which the loader drops and counts.
    """

    name: str

    def fetch(self, ticker: str, start: date, end: date) -> pd.DataFrame: ...


class SourceError(Exception):
    """A source could not deliver; `message` says what happened and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TickerNotInSource(SourceError):
    """The source cannot have this ticker at all (e.g. the bundled sample only has MSFT)."""

    def __init__(self, ticker: str, message: str) -> None:
        super().__init__(message)
        self.ticker = ticker


class TickerNotFoundUpstream(SourceError):
    """The upstream service answered that it knows no prices for this ticker."""


class UpstreamUnavailable(SourceError):
    """The upstream service failed or is unreachable, even after retries."""
