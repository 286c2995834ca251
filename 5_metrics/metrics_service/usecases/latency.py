"""Inference latency of the estimator: Prometheus first, the estimator's exposition second.

Prometheus gives the mean and p95 over a recent window. When it is not configured, down, or
has no series yet, the estimator's own /metrics is read instead: cumulative figures since
the estimator started, labelled with source "estimator-exposition". No traffic gives None
values with a reason, never NaN.
"""

import logging
from dataclasses import dataclass

from metrics_service.adapters.estimator import ExpositionUnavailable, fetch_exposition
from metrics_service.adapters.prometheus import PrometheusUnavailable, instant_query
from metrics_service.domain.latency import INFERENCE_HISTOGRAM, bucket_quantile, parse_histogram
from stock_db.numbers import finite_or_none

log = logging.getLogger(__name__)

SOURCE_PROMETHEUS = "prometheus"
SOURCE_EXPOSITION = "estimator-exposition"
SINCE_START = "since estimator start"


@dataclass(frozen=True)
class InferenceLatency:
    avg_seconds: float | None
    p95_seconds: float | None
    source: str | None  # "prometheus" | "estimator-exposition" | None (neither answered)
    window: str | None
    requests: float | None  # observations in the window (Prometheus: an estimate, increase())
    reason: str | None = None  # why the values are null
    note: str | None = None  # why this source was used


def promql(ticker: str, window: str) -> dict[str, str]:
    """The three queries; the ticker is validated upstream ([A-Z0-9.^=-]), so quoting is safe."""
    selector = f'{{ticker="{ticker}"}}'
    name = INFERENCE_HISTOGRAM
    return {
        "avg": (
            f"sum(rate({name}_sum{selector}[{window}]))"
            f" / sum(rate({name}_count{selector}[{window}]))"
        ),
        "p95": f"histogram_quantile(0.95, sum by (le) (rate({name}_bucket{selector}[{window}])))",
        "requests": f"sum(increase({name}_count{selector}[{window}]))",
    }


def from_prometheus(
    base_url: str, ticker: str, window: str, timeout: float
) -> InferenceLatency | str:
    """Latency over `window` from Prometheus, or a string saying why Prometheus could not say."""
    queries = promql(ticker, window)
    try:
        requests = instant_query(base_url, queries["requests"], timeout)
        if not requests:
            return f"prometheus has no {INFERENCE_HISTOGRAM} series for {ticker} yet"
        avg = instant_query(base_url, queries["avg"], timeout)
        p95 = instant_query(base_url, queries["p95"], timeout)
    except PrometheusUnavailable as error:
        return f"prometheus at {base_url} unavailable ({error})"
    count = finite_or_none(requests[0])
    if not count:
        return InferenceLatency(
            None,
            None,
            SOURCE_PROMETHEUS,
            window,
            count,
            reason=f"no inference requests for {ticker} in the last {window}",
        )
    return InferenceLatency(
        avg_seconds=finite_or_none(avg[0] if avg else None),
        p95_seconds=finite_or_none(p95[0] if p95 else None),
        source=SOURCE_PROMETHEUS,
        window=window,
        requests=count,
    )


def from_exposition(estimator_url: str, ticker: str, timeout: float, note: str) -> InferenceLatency:
    """Cumulative latency since the estimator started, read from its exposition."""
    try:
        text = fetch_exposition(estimator_url, timeout)
    except ExpositionUnavailable as error:
        return InferenceLatency(
            None,
            None,
            None,
            None,
            None,
            reason=f"{note}; estimator exposition at {estimator_url} unavailable ({error})",
        )
    histogram = parse_histogram(text, INFERENCE_HISTOGRAM, {"ticker": ticker})
    if histogram is None or histogram.count <= 0:
        return InferenceLatency(
            None,
            None,
            SOURCE_EXPOSITION,
            SINCE_START,
            0.0,
            reason=f"no inference requests for {ticker} since the estimator started",
            note=note,
        )
    return InferenceLatency(
        avg_seconds=finite_or_none(histogram.mean),
        p95_seconds=finite_or_none(bucket_quantile(0.95, histogram.buckets)),
        source=SOURCE_EXPOSITION,
        window=SINCE_START,
        requests=histogram.count,
        note=note,
    )


def inference_latency(
    prometheus_url: str, estimator_url: str, ticker: str, window: str, timeout: float
) -> InferenceLatency:
    if prometheus_url:
        result = from_prometheus(prometheus_url, ticker, window, timeout)
        if isinstance(result, InferenceLatency):
            return result
        note = result
        log.info("latency from the estimator exposition: %s", note)
    else:
        note = "PROMETHEUS_URL not configured"
    if not estimator_url:
        return InferenceLatency(
            None, None, None, None, None, reason=f"{note}; ESTIMATOR_URL not configured"
        )
    return from_exposition(estimator_url, ticker, timeout, note)
