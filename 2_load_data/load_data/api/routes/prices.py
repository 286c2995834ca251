"""GET /prices and GET /tickers: what the database holds."""

from typing import Annotated

from fastapi import APIRouter, Query

from load_data.api.deps import EngineDep
from load_data.api.errors import invalid_field
from load_data.api.schemas import (
    EndDate,
    ErrorMessage,
    PricesResponse,
    StartDate,
    Ticker,
    TickerCoverageOut,
    TickersResponse,
)
from load_data.usecases import read
from stock_db.rules import TICKER_DESCRIPTION, InvalidField

router = APIRouter(tags=["prices"])
DATABASE_DOWN = {"model": ErrorMessage, "description": "The database does not answer"}


@router.get(
    "/prices",
    response_model=PricesResponse,
    summary="Stored daily prices of a ticker, oldest first",
    responses={
        404: {"model": ErrorMessage, "description": "No rows stored for the ticker"},
        503: DATABASE_DOWN,
    },
)
def get_prices(
    ticker: Annotated[Ticker, Query(description=TICKER_DESCRIPTION, examples=["MSFT"])],
    engine: EngineDep,
    start_date: Annotated[StartDate | None, Query(description="First day, YYYY-MM-DD")] = None,
    end_date: Annotated[EndDate | None, Query(description="Last day (inclusive)")] = None,
) -> PricesResponse:
    try:
        stored = read.read_prices(engine, ticker, start_date, end_date)
    except InvalidField as error:
        raise invalid_field("query", error) from None
    return PricesResponse.of(stored)


@router.get(
    "/tickers",
    response_model=TickersResponse,
    summary="Coverage of every stored ticker",
    responses={503: DATABASE_DOWN},
)
def get_tickers(engine: EngineDep) -> TickersResponse:
    return TickersResponse(tickers=[TickerCoverageOut.of(item) for item in read.coverage(engine)])
