"""Read what the database holds: a ticker's prices in a range, and every ticker's coverage."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from load_data.adapters import prices_table
from load_data.adapters.prices_table import DailyPrice, TickerCoverage
from stock_db.rules import check_date_order


class NothingStored(LookupError):
    """No row at all is stored for the ticker (as opposed to none in the asked range)."""

    def __init__(self, ticker: str) -> None:
        super().__init__(f"no prices stored for {ticker}: load them first with POST /load")
        self.ticker = ticker


@dataclass(frozen=True)
class StoredPrices:
    ticker: str
    sources: list[str]  # distinct source labels of the rows, sorted
    prices: list[DailyPrice]  # oldest first


def read_prices(
    engine: Engine, ticker: str, start: date | None = None, end: date | None = None
) -> StoredPrices:
    """The stored rows of `ticker` between the optional bounds (inclusive). An empty range of
    a stored ticker is an empty answer; a ticker with no rows at all is NothingStored.
    Reversed bounds are a stock_db.rules.InvalidField."""
    if start is not None and end is not None:
        check_date_order(start, end)
    rows = prices_table.read_prices(engine, ticker, start, end)
    if not rows and not prices_table.has_prices(engine, ticker):
        raise NothingStored(ticker)
    sources = prices_table.price_sources(engine, ticker, start, end)
    return StoredPrices(ticker=ticker, sources=sources, prices=rows)


def coverage(engine: Engine) -> list[TickerCoverage]:
    """First and last date, row count and source labels of every stored ticker."""
    return prices_table.coverage(engine)
