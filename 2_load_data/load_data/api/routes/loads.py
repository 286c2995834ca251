"""POST /load: fetch a range from a source and upsert it."""

from datetime import date

from fastapi import APIRouter

from load_data.api.deps import EngineDep, SettingsDep, SourceFactoryDep
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
) -> LoadResponse:
    """Fetch `ticker` for `start_date`..`end_date` (both inclusive) and upsert the rows in one
    transaction: all rows or none. A repeated request inserts 0 and updates 0. Rows breaking
    the table's checks are dropped and counted in `rejected`. Ranges may not start in the
    future nor span more than 50 years."""
    try:
        check_load_range(body.start_date, body.end_date, today=date.today())
    except InvalidField as error:
        raise invalid_field("body", error) from None
    try:
        setting = choose_source(body.source, settings.price_source)
    except InvalidField as error:
        raise invalid_field("body", error, body.source) from None
    source = make_source(setting)
    return LoadResponse.of(load_range(engine, source, body.ticker, body.start_date, body.end_date))
