"""POST /load: fetch a range from a source and upsert it."""

from datetime import date

from fastapi import APIRouter

from load_data.api.deps import AdminDep, EngineDep, SettingsDep, SourceFactoryDep
from load_data.api.errors import field_error, invalid_field, source_failure
from load_data.api.schemas import ErrorMessage, LoadRequest, LoadResponse
from load_data.config import Settings
from load_data.domain.validation import InvalidField, check_load_range
from load_data.loading import load_range
from load_data.sources import SourceError

router = APIRouter(tags=["load"])

# Sources a request may name; a csv:PATH only when it is the configured PRICE_SOURCE, so that
# callers cannot make the service read arbitrary files.
REQUESTABLE_SOURCES = ("yahoo", "sample")


def _chosen_source(request: LoadRequest, settings: Settings) -> str:
    if request.source is None:
        return settings.price_source
    if request.source in REQUESTABLE_SOURCES or request.source == settings.price_source:
        return request.source
    raise field_error(
        "body",
        "source",
        f"source {request.source!r} is not available: use 'yahoo' or 'sample', "
        "or omit it to use the configured PRICE_SOURCE",
        request.source,
    )


@router.post(
    "/load",
    response_model=LoadResponse,
    dependencies=[AdminDep],
    summary="Load a ticker's daily prices for a date range (idempotent upsert)",
    responses={
        401: {"model": ErrorMessage, "description": "ADMIN_TOKEN is set and was not sent"},
        404: {"model": ErrorMessage, "description": "Yahoo knows no prices for the ticker"},
        502: {"model": ErrorMessage, "description": "The source failed; nothing was written"},
        503: {"model": ErrorMessage, "description": "The database does not answer"},
    },
)
def post_load(
    request: LoadRequest,
    settings: SettingsDep,
    engine: EngineDep,
    make_source: SourceFactoryDep,
) -> LoadResponse:
    """Fetch `ticker` for `start_date`..`end_date` (both inclusive) and upsert the rows in one
    transaction: all rows or none. A repeated request inserts 0 and updates 0. Rows breaking
    the table's checks are dropped and counted in `rejected`. Ranges may not start in the
    future nor span more than 50 years."""
    try:
        check_load_range(request.start_date, request.end_date, today=date.today())
    except InvalidField as error:
        raise invalid_field("body", error) from None
    source = make_source(_chosen_source(request, settings))
    try:
        result = load_range(engine, source, request.ticker, request.start_date, request.end_date)
    except SourceError as error:
        raise source_failure(error, request.ticker) from error
    return LoadResponse(
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
    )
