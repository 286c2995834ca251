"""GET /prices and GET /tickers: what the database holds."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from load_data import repository
from load_data.api.deps import EngineDep
from load_data.api.errors import invalid_field
from load_data.api.schemas import (
    TICKER_DESCRIPTION,
    EndDate,
    ErrorMessage,
    PriceRow,
    PricesResponse,
    StartDate,
    Ticker,
    TickerCoverageOut,
    TickersResponse,
)
from load_data.domain.validation import InvalidField, check_date_order

router = APIRouter(tags=["prices"])


@router.get(
    "/prices",
    response_model=PricesResponse,
    summary="Stored daily prices of a ticker, oldest first",
    responses={404: {"model": ErrorMessage, "description": "No rows stored for the ticker"}},
)
def get_prices(
    ticker: Annotated[Ticker, Query(description=TICKER_DESCRIPTION, examples=["MSFT"])],
    engine: EngineDep,
    start_date: Annotated[StartDate | None, Query(description="First day, YYYY-MM-DD")] = None,
    end_date: Annotated[EndDate | None, Query(description="Last day (inclusive)")] = None,
) -> PricesResponse:
    if start_date is not None and end_date is not None:
        try:
            check_date_order(start_date, end_date)
        except InvalidField as error:
            raise invalid_field("query", error) from None
    rows = repository.read_prices(engine, ticker, start_date, end_date)
    if not rows and not repository.has_prices(engine, ticker):
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"no prices stored for {ticker}: load them first with POST /load",
        )
    return PricesResponse(
        ticker=ticker,
        sources=repository.price_sources(engine, ticker, start_date, end_date),
        prices=[PriceRow(**row) for row in rows],
    )


@router.get("/tickers", response_model=TickersResponse, summary="Coverage of every stored ticker")
def get_tickers(engine: EngineDep) -> TickersResponse:
    return TickersResponse(
        tickers=[
            TickerCoverageOut(
                ticker=item.ticker,
                first_date=item.first_date,
                last_date=item.last_date,
                rows=item.rows,
                sources=item.sources,
            )
            for item in repository.coverage(engine)
        ]
    )
