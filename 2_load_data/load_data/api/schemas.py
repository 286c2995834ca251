"""Request and response bodies of the HTTP API (separate from the table, so internals stay in)."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from load_data.domain.validation import normalise_ticker, parse_iso_date


def _iso_date(field: str) -> BeforeValidator:
    def validate(value: object) -> date:
        return parse_iso_date(value, field)

    return BeforeValidator(validate)


def _ticker(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"ticker must be a string such as 'MSFT', got {value!r}")
    return normalise_ticker(value)


# Strict types shared by bodies and query parameters (descriptions are added where used).
Ticker = Annotated[str, BeforeValidator(_ticker)]
StartDate = Annotated[date, _iso_date("start_date")]
EndDate = Annotated[date, _iso_date("end_date")]
TICKER_DESCRIPTION = "Ticker symbol, case-insensitive (stored upper-case)"


class LoadRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
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
        description="Rows dropped because they break the table's checks "
        "(missing values, non-positive prices, high < low, negative volume, repeated date)"
    )
    first_date: date | None = Field(description="First trading day loaded (null: none)")
    last_date: date | None = Field(description="Last trading day loaded (null: none)")


class PriceRow(BaseModel):
    date: date
    open: float
    high: float
    low: float
    close: float
    volume: int


class PricesResponse(BaseModel):
    ticker: str
    sources: list[str] = Field(description="Distinct source labels of the returned rows")
    prices: list[PriceRow]


class TickerCoverageOut(BaseModel):
    ticker: str
    first_date: date
    last_date: date
    rows: int
    sources: list[str]


class TickersResponse(BaseModel):
    tickers: list[TickerCoverageOut]


class HealthResponse(BaseModel):
    status: str = Field(description="'ok', or 'degraded' when the database does not answer")
    database: str
    price_source: str


class ErrorMessage(BaseModel):
    detail: str
