"""Reading the inference histogram from a real prometheus_client exposition, and the bucket
quantile against values worked out by hand with PromQL's histogram_quantile rules."""

import math

import pytest
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from metrics_service.domain.latency import (
    INFERENCE_HISTOGRAM,
    bucket_quantile,
    parse_histogram,
)

BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)


def exposition(observations: dict[str, list[float]]) -> str:
    registry = CollectorRegistry()
    histogram = Histogram(
        "inference_seconds",
        "model inference time",
        ["ticker"],
        namespace="nn_estimator",
        buckets=BUCKETS,
        registry=registry,
    )
    for ticker, values in observations.items():
        for value in values:
            histogram.labels(ticker=ticker).observe(value)
    return generate_latest(registry).decode()


def test_parse_sums_and_counts_for_one_ticker() -> None:
    msft = [0.0002, 0.0004, 0.0004, 0.003, 0.02]
    text = exposition({"MSFT": msft, "AAPL": [1.0]})
    histogram = parse_histogram(text, INFERENCE_HISTOGRAM, {"ticker": "MSFT"})
    assert histogram is not None
    assert histogram.count == len(msft)
    assert histogram.total == pytest.approx(sum(msft))
    assert histogram.mean == pytest.approx(sum(msft) / len(msft))
    cumulative = dict(histogram.buckets)
    assert cumulative[0.0005] == 3  # 0.0002, 0.0004, 0.0004
    assert cumulative[math.inf] == len(msft)


def test_parse_all_series_without_a_filter() -> None:
    histogram = parse_histogram(exposition({"MSFT": [0.001], "AAPL": [0.003]}), INFERENCE_HISTOGRAM)
    assert histogram is not None and histogram.count == 2


def test_parse_missing_family_or_series_is_none() -> None:
    assert parse_histogram(exposition({}), INFERENCE_HISTOGRAM, {"ticker": "MSFT"}) is None
    assert parse_histogram("", INFERENCE_HISTOGRAM) is None
    text = exposition({"AAPL": [0.1]})
    assert parse_histogram(text, INFERENCE_HISTOGRAM, {"ticker": "MSFT"}) is None


INF = math.inf


@pytest.mark.parametrize(
    ("q", "buckets", "expected"),
    [
        # 100 observations, all in (0.001, 0.0025]: rank 95 -> 0.001 + 0.0015 * 95/100
        (0.95, [(0.001, 0), (0.0025, 100), (INF, 100)], 0.001 + 0.0015 * 0.95),
        # rank 95 falls in (0.005, 0.01] holding 20 of them, 15 into it
        (0.95, [(0.001, 50), (0.005, 80), (0.01, 100), (INF, 100)], 0.005 + 0.005 * 15 / 20),
        # rank in the first bucket interpolates from 0
        (0.5, [(0.002, 10), (INF, 10)], 0.001),
        # rank in +Inf bucket: the highest finite bound
        (0.95, [(0.1, 50), (INF, 100)], 0.1),
        # no observations, or no +Inf bucket: undefined
        (0.95, [(0.1, 0), (INF, 0)], None),
        (0.95, [(0.1, 5)], None),
        (0.95, [], None),
    ],
)
def test_bucket_quantile(
    q: float, buckets: list[tuple[float, float]], expected: float | None
) -> None:
    result = bucket_quantile(q, buckets)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)
