"""Inference latency end to end: the real estimator api (uvicorn subprocess, tiny champion
from the model package) answering POST /predict, the real Prometheus scraping it every
second, and the latency use case reading the histogram from Prometheus or, without it, from
the api's exposition. Expected values come from the raw samples (Prometheus range selector) and from
the exposition text parsed here with a regex, not with the service's parser."""

import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from metrics_service.config import Settings
from metrics_service.usecases.latency import inference_latency
from metrics_service.usecases.report import build_metrics_report
from stock_db import create_db_engine, models, predictions, prices
from support.network import closed_url, wait_until
from support.processes import (
    prometheus_value,
    require_prometheus,
    running_api,
    running_prometheus,
)
from support.rows import insert_prices, trading_days
from support.sample import read_sample
from support.trained import TINY, Store, build_store

pytestmark = pytest.mark.slow
COUNT = 'nn_estimator_inference_seconds_count{ticker="MSFT"}'
WINDOW_SECONDS = 10  # the 20 requests must fit in it, even on a busy machine
WINDOW = f"{WINDOW_SECONDS}s"
RAW_SUM_AND_COUNT = (
    f'{{__name__=~"nn_estimator_inference_seconds_(sum|count)",ticker="MSFT"}}[{WINDOW}]'
)
P95 = (
    "histogram_quantile(0.95, sum by (le) "
    f'(rate(nn_estimator_inference_seconds_bucket{{ticker="MSFT"}}[{WINDOW}])))'
)


@dataclass
class LiveApi:
    store: Store
    url: str
    root: Path


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    root = tmp_path_factory.mktemp("latency-live")
    store = build_store(root, read_sample(), TINY)
    # A ticker with prices the api does not serve: "no traffic" for it, whatever ran before.
    engine = create_db_engine(store.database_url)
    insert_prices(engine, trading_days("2017-01-02", 30), [50.0] * 30, ticker="AAPL")
    engine.dispose()
    with running_api(store, root / "api.log") as url:
        yield LiveApi(store, url, root)


@pytest.fixture(scope="module")
def prometheus_url(live_api: LiveApi) -> Iterator[str]:
    """The real Prometheus scraping the live api every second."""
    binary = require_prometheus()
    target = live_api.url.removeprefix("http://")
    with running_prometheus(binary, target, live_api.root / "prometheus") as url:
        yield url


def exposition_histogram(api_url: str) -> dict[str, Any]:
    """sum, count and cumulative buckets of MSFT's inference histogram, by regex."""
    text = httpx.get(f"{api_url}/metrics", timeout=5).text
    number = r"([0-9.eE+-]+|\+Inf)"
    found: dict[str, Any] = {"buckets": {}}
    for line in text.splitlines():
        if 'ticker="MSFT"' not in line or not line.startswith("nn_estimator_inference_seconds"):
            continue
        value = float(line.rsplit(" ", 1)[1])
        if bucket := re.search(rf'le="{number}"', line):
            found["buckets"][float(bucket.group(1).replace("+Inf", "inf"))] = value
        elif line.startswith("nn_estimator_inference_seconds_sum"):
            found["sum"] = value
        elif line.startswith("nn_estimator_inference_seconds_count"):
            found["count"] = value
    return found


def bucket_bounds(buckets: dict[float, float], q: float) -> tuple[float, float]:
    """(lower, upper) bounds of the bucket holding the q-th observation."""
    bounds = sorted(buckets)
    rank = q * buckets[math.inf]
    lower = 0.0
    for bound in bounds:
        if buckets[bound] >= rank:
            return lower, bound
        lower = bound
    raise AssertionError("no bucket holds the rank")


def send_predictions(api: LiveApi, offsets: range) -> None:
    for offset in offsets:
        day = read_sample()["date"].iloc[-offset]
        body = {"ticker": "MSFT", "date": day.isoformat(), "horizon": 1}
        response = httpx.post(f"{api.url}/predict", json=body, timeout=30)
        assert response.status_code == 200, response.text


def latency(
    api: LiveApi, prometheus_url: str, ticker: str = "MSFT", window: str = "5m"
) -> dict[str, Any]:
    """The use case's answer, as a dict of its fields."""
    return asdict(inference_latency(prometheus_url, api.url, ticker, window, timeout=3))


def test_fallback_reads_the_real_api_exposition(live_api: LiveApi) -> None:
    idle = latency(live_api, prometheus_url="", ticker="AAPL")
    assert idle["source"] == "estimator-exposition"
    assert idle["avg_seconds"] is None and idle["p95_seconds"] is None
    assert idle["reason"] == "no inference requests for AAPL since the estimator started"

    send_predictions(live_api, range(40, 50))
    expected = exposition_histogram(live_api.url)
    inference = latency(live_api, prometheus_url="")
    assert inference["source"] == "estimator-exposition"
    assert inference["note"] == "PROMETHEUS_URL not configured"
    assert inference["requests"] == expected["count"] >= 10
    assert inference["avg_seconds"] == pytest.approx(expected["sum"] / expected["count"])
    lower, upper = bucket_bounds(expected["buckets"], 0.95)
    assert lower <= inference["p95_seconds"] <= upper


def test_fallback_when_prometheus_is_down(live_api: LiveApi) -> None:
    send_predictions(live_api, range(50, 52))
    down = closed_url()
    inference = latency(live_api, prometheus_url=down)
    expected = exposition_histogram(live_api.url)
    assert inference["source"] == "estimator-exposition"
    assert inference["note"].startswith(f"prometheus at {down} unavailable (ConnectError: ")
    assert inference["avg_seconds"] == pytest.approx(expected["sum"] / expected["count"])


def test_prometheus_mean_latency_matches_the_histogram(
    live_api: LiveApi, prometheus_url: str
) -> None:
    send_predictions(live_api, range(60, 70))  # enough that rate() never clamps at 0
    first = exposition_histogram(live_api.url)["count"]
    wait_until(lambda: prometheus_value(prometheus_url, COUNT) == first, 30, "first scrape")
    # Let the quiet series fill a whole window, so the window's first sample is a quiet
    # one and rate() extrapolates _sum and _count alike: their ratio is then exactly
    # (last - first) of sum over (last - first) of count of the raw samples.
    time.sleep(WINDOW_SECONDS + 1)
    send_predictions(live_api, range(70, 90))
    final = exposition_histogram(live_api.url)
    wait_until(lambda: prometheus_value(prometheus_url, COUNT) == final["count"], 30, "last scrape")
    inference = latency(live_api, prometheus_url, window=WINDOW)
    raw = httpx.get(f"{prometheus_url}/api/v1/query", params={"query": RAW_SUM_AND_COUNT}).json()[
        "data"
    ]["result"]
    prometheus_p95 = prometheus_value(prometheus_url, P95)
    no_series = latency(live_api, prometheus_url, ticker="AAPL")

    samples = {series["metric"]["__name__"].rsplit("_", 1)[1]: series["values"] for series in raw}
    delta = {name: float(values[-1][1]) - float(values[0][1]) for name, values in samples.items()}
    context = f"raw samples {samples}, first {first}, final {final}, answer {inference}"
    assert final["count"] - first == 20
    assert delta["count"] == 20, context
    assert inference["source"] == "prometheus"
    assert inference["window"] == WINDOW
    assert inference["avg_seconds"] == pytest.approx(delta["sum"] / delta["count"], rel=1e-6), (
        context
    )
    assert inference["requests"] == pytest.approx(20, rel=0.5)  # increase() extrapolates
    # Prometheus' own figure, queried a moment later: the window may have slid by a scrape, and
    # rate() extrapolates over a slightly different span (seen: a 1e-5 relative difference).
    assert inference["p95_seconds"] == pytest.approx(prometheus_p95, rel=0.02)
    # no MSFT-like series for AAPL in Prometheus: the exposition answers, without traffic too
    assert no_series["source"] == "estimator-exposition" and no_series["avg_seconds"] is None


def test_prometheus_window_without_traffic_is_null_with_reason(
    live_api: LiveApi, prometheus_url: str
) -> None:
    send_predictions(live_api, range(95, 96))
    count = exposition_histogram(live_api.url)["count"]
    wait_until(lambda: prometheus_value(prometheus_url, COUNT) == count, 30, "a scrape")

    def idle_answer() -> dict[str, Any] | None:
        answer = latency(live_api, prometheus_url, window="3s")
        return answer if answer["source"] == "prometheus" and answer["reason"] else None

    inference = wait_until(idle_answer, 30, "a 3s window without requests", 0.5)
    assert inference["avg_seconds"] is None and inference["p95_seconds"] is None
    assert inference["reason"] == "no inference requests for MSFT in the last 3s"


def test_real_predictions_feed_quality(
    live_api: LiveApi, make_settings: Callable[..., Settings]
) -> None:
    engine = create_db_engine(live_api.store.database_url)

    def logged() -> int:
        with engine.connect() as connection:
            query = select(func.count()).select_from(predictions)
            return int(connection.execute(query).scalar_one())

    before = logged()
    send_predictions(live_api, range(20, 30))
    # Every row of the ten answers (horizon 1: one each), not just the first batch: the report
    # and the count below must see the same rows.
    wait_until(lambda: logged() >= before + 10, 10, "the ten logged predictions")
    settings = make_settings(prometheus_url="", estimator_url=live_api.url)
    with engine.connect() as connection:
        report = build_metrics_report(connection, settings, "MSFT", 1, 60, 60, "5m")
        # every test here asked for different days: one row per target date with a close
        matured_dates = (
            select(func.count(func.distinct(predictions.c.target_date)))
            .select_from(
                predictions.join(
                    prices,
                    (prices.c.ticker == predictions.c.ticker)
                    & (prices.c.date == predictions.c.target_date),
                )
            )
            .where(predictions.c.horizon == 1, predictions.c.ticker == "MSFT")
        )
        # live figures count out-of-sample forecasts only: as_of after the champion's train_end
        train_end = connection.execute(
            select(models.c.train_end).where(
                models.c.ticker == "MSFT", models.c.status == "champion"
            )
        ).scalar()
        if train_end is not None:
            matured_dates = matured_dates.where(predictions.c.as_of > train_end)
        matured = int(connection.execute(matured_dates).scalar_one())
    engine.dispose()
    assert report.model_version == live_api.store.first_version
    assert report.n == min(60, matured)
    assert report.n + report.n_in_sample >= 10
    assert report.mae is not None and report.naive.mae is not None
    if live_api.store.promoted:  # else only the alias was set: no champion row, no offline
        assert report.offline is not None and report.offline.lstm is not None
    assert report.data_drift.reference.n > 0
    assert report.inference.source == "estimator-exposition"
