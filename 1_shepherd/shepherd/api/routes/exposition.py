"""GET /metrics: Prometheus' text format, for the alert on cycles that stopped succeeding.

Read from pipeline_runs at scrape time, so a restarted shepherd reports the same instant."""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

from shepherd.adapters import runs_table
from shepherd.api.deps import EngineDep, SettingsDep

router = APIRouter(tags=["monitoring"])

# Healthy = the cycle did its job: 'skipped' found the data fresh, 'refused' loaded the data and
# the gate kept the champion (a daily fine-tune that does not beat it is normal, not an outage).
HEALTHY_STATUSES = ("succeeded", "skipped", "refused")


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus exposition"},
        503: {"description": "The database is unavailable"},
    },
)
def prometheus_exposition(engine: EngineDep, settings: SettingsDep) -> Response:
    """`shepherd_last_success_timestamp_seconds{ticker}`: when the newest succeeded, skipped or
    refused cycle finished, for each ticker in TICKERS that has had one."""
    registry = CollectorRegistry()
    last_success = Gauge(
        "shepherd_last_success_timestamp_seconds",
        "Unix time the ticker's newest succeeded, skipped or refused (gate kept the champion) "
        "cycle finished.",
        ["ticker"],
        registry=registry,
    )
    finished = runs_table.last_finished_by_status(engine, HEALTHY_STATUSES)
    for ticker in settings.tickers:
        at = finished.get(ticker.upper())
        if at is not None:
            last_success.labels(ticker.upper()).set(at.timestamp())
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
