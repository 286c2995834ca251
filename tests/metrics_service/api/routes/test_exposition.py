"""GET /prometheus: the alerting facts per ticker in TICKERS, parsed with prometheus_client's
own parser (as Prometheus would read them)."""

import calendar
from collections.abc import Callable

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from support.rows import insert_model, insert_prices, random_walk, trading_days

DAYS = trading_days("2023-01-02", 120)
ClientFactory = Callable[..., TestClient]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_champion_age_and_drift_per_ticker(engine: Engine, make_client: ClientFactory) -> None:
    insert_prices(engine, DAYS, list(random_walk(120, 0.01, seed=3)))
    insert_model(engine, 2, DAYS[0], DAYS[59])
    response = make_client(tickers=["MSFT", "NOPE"]).get("/prometheus")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    train_end = calendar.timegm(DAYS[59].timetuple())
    labels = (("ticker", "MSFT"), ("version", "2"))
    assert found[("stock_champion_train_end_timestamp_seconds", labels)] == train_end
    assert found[("stock_data_drift_detected", (("ticker", "MSFT"),))] in (0.0, 1.0)
    assert 0.0 <= found[("stock_data_drift_p_value", (("ticker", "MSFT"),))] <= 1.0
    assert not any(dict(key[1]).get("ticker") == "NOPE" for key in found)  # no prices: no series


def test_no_champion_no_age_series(engine: Engine, make_client: ClientFactory) -> None:
    insert_prices(engine, DAYS[:10], [100.0] * 10)
    found = samples(make_client().get("/prometheus").text)
    assert not any(name == "stock_champion_train_end_timestamp_seconds" for name, _ in found)
