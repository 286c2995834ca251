"""The cycles: GET /runs (history, newest first), GET /runs/{id}, POST /runs (start one now)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from shepherd.api.deps import EngineDep, RunnerDep, SettingsDep
from shepherd.api.errors import BodyField, RunNotFound
from shepherd.api.schemas import ErrorMessage, RunAccepted, RunOut, RunRequest, RunsResponse
from shepherd.usecases.history import find_run, recent_runs
from stock_db.auth import AUTH_RESPONSES, AdminDep
from stock_db.rules import TICKER_DESCRIPTION, Ticker

router = APIRouter(tags=["runs"])
# pipeline_runs.id is a BIGINT identity: a larger id cannot name a run (and would not even
# reach the database: SQLite's driver raises OverflowError, Postgres a DataError).
MAX_RUN_ID = 2**63 - 1


@router.get("/runs", response_model=RunsResponse)
def get_runs(
    engine: EngineDep,
    ticker: Annotated[Ticker | None, Query(description=TICKER_DESCRIPTION)] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many")] = 20,
) -> RunsResponse:
    """The recent cycles, newest first, of one ticker or of all."""
    return RunsResponse(runs=[RunOut.of(run) for run in recent_runs(engine, ticker, limit)])


@router.get("/runs/{run_id}", response_model=RunOut, responses={404: {"model": ErrorMessage}})
def get_run(
    run_id: Annotated[int, Path(ge=1, le=MAX_RUN_ID, description="As POST /runs answered it")],
    engine: EngineDep,
) -> RunOut:
    """One cycle: poll it after POST /runs until `status` is no longer 'running'."""
    run = find_run(engine, run_id)
    if run is None:
        raise RunNotFound(f"no run {run_id}")
    return RunOut.of(run)


@router.post(
    "/runs",
    response_model=RunAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[AdminDep],
    responses={
        **{code: {**answer, "model": ErrorMessage} for code, answer in AUTH_RESPONSES.items()},
        400: {"model": ErrorMessage, "description": "The body could not be parsed at all"},
        413: {"model": ErrorMessage, "description": "The body is larger than 4 KiB"},
        415: {"model": ErrorMessage, "description": "The body is not sent as application/json"},
    },
)
def post_run(request: RunRequest, settings: SettingsDep, runner: RunnerDep) -> RunAccepted:
    """Start a cycle of `ticker` now (the dashboard's "run now"); answered at once with the
    run's id. A cycle of the same ticker already running makes this one end as 'locked'."""
    if request.ticker not in settings.tickers:
        raise BodyField(
            "ticker",
            f"{request.ticker} is not kept by the shepherd; TICKERS is "
            f"{','.join(settings.tickers)}",
        )
    run_id = runner.start(request.ticker, request.force)
    return RunAccepted(run_id=run_id, ticker=request.ticker, status="running")
