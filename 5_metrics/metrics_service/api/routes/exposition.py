"""GET /prometheus: the alerting facts in Prometheus' text format (the seed's /metrics path
is the JSON report, so the exposition has its own path)."""

import calendar

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

from metrics_service.api.deps import ConnectionDep, SettingsDep
from metrics_service.usecases.exposition import TickerFacts, all_ticker_facts

router = APIRouter(tags=["monitoring"])


def render(facts: list[TickerFacts]) -> bytes:
    registry = CollectorRegistry()
    detected = Gauge(
        "stock_data_drift_detected",
        "1 when the drift rule flags the recent daily log returns against the champion's "
        "training window, 0 when not; absent when it cannot decide yet.",
        ["ticker"],
        registry=registry,
    )
    p_value = Gauge(
        "stock_data_drift_p_value",
        "p-value of the drift test on daily log returns.",
        ["ticker"],
        registry=registry,
    )
    data_end = Gauge(
        "stock_champion_train_end_timestamp_seconds",
        "Unix time of the last close the serving champion was trained on (midnight UTC).",
        ["ticker", "version"],
        registry=registry,
    )
    for fact in facts:
        if fact.drift_detected is not None:
            detected.labels(fact.ticker).set(int(fact.drift_detected))
        if fact.drift_p_value is not None:
            p_value.labels(fact.ticker).set(fact.drift_p_value)
        if fact.champion_train_end is not None:
            seconds = calendar.timegm(fact.champion_train_end.timetuple())
            data_end.labels(fact.ticker, str(fact.champion_version)).set(seconds)
    return generate_latest(registry)


@router.get(
    "/prometheus",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus exposition"},
        503: {"description": "The database is unavailable"},
    },
)
def prometheus_exposition(connection: ConnectionDep, settings: SettingsDep) -> Response:
    """Drift and champion age per ticker in TICKERS, for Prometheus' alerting rules."""
    return Response(render(all_ticker_facts(connection, settings)), media_type=CONTENT_TYPE_LATEST)
