"""POST /load: fetch a range from a source and upsert it."""

from fastapi import APIRouter

from load_data.api.deps import EngineDep, NowDep, SettingsDep, SourceFactoryDep
from load_data.api.errors import invalid_field
from load_data.api.schemas import ErrorMessage, LoadRequest, LoadResponse
from load_data.domain.load_range import check_load_range, choose_source
from load_data.usecases.load import load_range
from stock_db.auth import AUTH_RESPONSES, AdminDep
from stock_db.rules import InvalidField

router = APIRouter(tags=["load"])


@router.post(
    "/load",
    response_model=LoadResponse,
    dependencies=[AdminDep],
    summary="Load a ticker's daily prices for a date range (idempotent upsert)",
    responses={
        **{code: {**answer, "model": ErrorMessage} for code, answer in AUTH_RESPONSES.items()},
        400: {"model": ErrorMessage, "description": "The body could not be parsed at all"},
        413: {"model": ErrorMessage, "description": "The body is larger than 16 KiB"},
        415: {"model": ErrorMessage, "description": "The body is not sent as application/json"},
        404: {"model": ErrorMessage, "description": "Yahoo knows no prices for the ticker"},
        502: {"model": ErrorMessage, "description": "The source failed; nothing was written"},
        503: {"model": ErrorMessage, "description": "The database does not answer"},
    },
)
def post_load(
    body: LoadRequest,
    settings: SettingsDep,
    engine: EngineDep,
    make_source: SourceFactoryDep,
    now: NowDep,
) -> LoadResponse:
    """Fetch `ticker` for `start_date`..`end_date` (both inclusive) and upsert the rows in one
    transaction: all rows or none. A repeated request inserts 0 and updates 0. Rows unfit to
    store (see `rejected`), including bars of sessions that have not closed yet, are dropped
    and counted. When stored days of the same source disagree with the fresh ones (a dividend
    or split re-based the adjusted history), the ticker's whole history is re-loaded
    (`rebased`). Ranges may not start in the future nor span more than 50 years."""
    try:
        check_load_range(body.start_date, body.end_date, today=now.date())
    except InvalidField as error:
        raise invalid_field("body", error) from None
    try:
        setting = choose_source(body.source, settings.price_source)
    except InvalidField as error:
        raise invalid_field("body", error, body.source) from None
    source = make_source(setting)
    result = load_range(
        engine,
        source,
        body.ticker,
        body.start_date,
        body.end_date,
        now=now,
        calendar=settings.exchange_calendar,
    )
    return LoadResponse.of(result)
