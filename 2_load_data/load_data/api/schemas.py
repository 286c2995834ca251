"""Request and response bodies of the HTTP API (separate from the table and the use cases'
dataclasses, so internals stay in)."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from load_data.adapters.prices_table import DailyPrice, TickerCoverage
from load_data.usecases.load import LoadResult
from load_data.usecases.read import StoredPrices
from stock_db.health import Health
from stock_db.rules import TICKER_DESCRIPTION, Ticker, iso_date

# Strict dates for bodies and query parameters (descriptions are added where used).
StartDate = Annotated[date, iso_date("start_date")]
EndDate = Annotated[date, iso_date("end_date")]


class LoadRequest(BaseModel):
    # Strict: JSON values are never coerced (a ticker must be a string, dates "YYYY-MM-DD"
    # strings, source a string); unknown fields are refused.
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"ticker": "MSFT", "start_date": "2010-01-01", "end_date": "2017-11-10"},
                {
                    "ticker": "msft",
                    "start_date": "2010-01-01",
                    "end_date": "2017-11-10",
                    "source": "sample",
                },
            ]
        },
    )

    ticker: Ticker = Field(description=TICKER_DESCRIPTION, examples=["MSFT"])
    start_date: StartDate = Field(description="First day, YYYY-MM-DD", examples=["2010-01-01"])
    end_date: EndDate = Field(
        description="Last day (inclusive), YYYY-MM-DD", examples=["2017-11-10"]
    )
    source: str | None = Field(
        default=None,
        description=(
            "Overrides PRICE_SOURCE for this request: 'yahoo' or 'sample' (bundled MSFT "
            "1986-03-13..2017-11-10), or the configured 'csv:PATH' itself. Omit to use "
            "PRICE_SOURCE."
        ),
        examples=["sample"],
    )


class LoadResponse(BaseModel):
    ticker: str
    source: str = Field(description="Label of the source the rows came from")
    start_date: date
    end_date: date
    fetched: int = Field(description="Rows the source returned for the range")
    inserted: int = Field(description="Rows that were not stored before")
    updated: int = Field(description="Stored rows whose values or source label changed")
    rejected: int = Field(
        description="Rows of the range dropped as unfit to store, each reason logged: missing "
        "value, non-finite price, non-positive price, price outside float32 range, high below "
        "low, negative volume, volume out of range, session not completed (dated on or after "
        "a session that has not closed yet), duplicate date"
    )
    first_date: date | None = Field(description="First trading day loaded (null: none)")
    last_date: date | None = Field(description="Last trading day loaded (null: none)")
    rebased: bool = Field(
        description="The source's stored days disagreed with the fresh ones (a dividend or "
        "split re-based its adjusted history), so the ticker's whole history was re-loaded"
    )
    rebased_rows: int = Field(description="Stored rows the re-base rewrote (0 unless rebased)")

    @classmethod
    def of(cls, result: LoadResult) -> "LoadResponse":
        return cls(
            ticker=result.ticker,
            source=result.source,
            start_date=result.start_date,
            end_date=result.end_date,
            fetched=result.fetched,
            inserted=result.inserted,
            updated=result.updated,
            rejected=result.rejected,
            first_date=result.first_date,
            last_date=result.last_date,
            rebased=result.rebased,
            rebased_rows=result.rebased_rows,
        )


class PriceRow(BaseModel):
    date: date
    open: float
    high: float
    low: float
    close: float
    volume: int

    @classmethod
    def of(cls, row: DailyPrice) -> "PriceRow":
        return cls(
            date=row.date,
            open=row.open,
            high=row.high,
            low=row.low,
            close=row.close,
            volume=row.volume,
        )


class PricesResponse(BaseModel):
    ticker: str
    sources: list[str] = Field(description="Distinct source labels of the returned rows")
    prices: list[PriceRow]

    @classmethod
    def of(cls, stored: StoredPrices) -> "PricesResponse":
        return cls(
            ticker=stored.ticker,
            sources=stored.sources,
            prices=[PriceRow.of(row) for row in stored.prices],
        )


class TickerCoverageOut(BaseModel):
    ticker: str
    first_date: date
    last_date: date
    rows: int
    sources: list[str]

    @classmethod
    def of(cls, item: TickerCoverage) -> "TickerCoverageOut":
        return cls(
            ticker=item.ticker,
            first_date=item.first_date,
            last_date=item.last_date,
            rows=item.rows,
            sources=item.sources,
        )


class TickersResponse(BaseModel):
    tickers: list[TickerCoverageOut]


class HealthResponse(Health):
    """The suite's /health fields, plus where this service loads prices from."""

    price_source: str


class ErrorMessage(BaseModel):
    detail: str
