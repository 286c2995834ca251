"""Choosing the latency source without one answering: the reasons say what was tried; the
PromQL is pinned (the README documents it). With the real api and Prometheus answering:
test_latency_live.py."""

import re

from metrics_service.usecases.latency import inference_latency, promql
from support.network import closed_url


def test_both_sources_down_give_null_with_reason() -> None:
    prometheus, estimator = closed_url(), closed_url()
    latency = inference_latency(prometheus, estimator, "MSFT", "5m", 1.0)
    assert (latency.avg_seconds, latency.p95_seconds, latency.source) == (None, None, None)
    assert latency.reason is not None
    assert re.fullmatch(
        rf"prometheus at {re.escape(prometheus)} unavailable \(ConnectError: .+\); "
        rf"estimator exposition at {re.escape(estimator)} unavailable \(ConnectError: .+\)",
        latency.reason,
    ), latency.reason


def test_no_source_configured() -> None:
    latency = inference_latency("", "", "MSFT", "5m", 1.0)
    assert latency.source is None
    assert latency.reason == "PROMETHEUS_URL not configured; ESTIMATOR_URL not configured"


def test_promql() -> None:
    name = "nn_estimator_inference_seconds"
    assert promql("MSFT", "5m") == {
        "avg": f'sum(rate({name}_sum{{ticker="MSFT"}}[5m]))'
        f' / sum(rate({name}_count{{ticker="MSFT"}}[5m]))',
        "p95": f'histogram_quantile(0.95, sum by (le) (rate({name}_bucket{{ticker="MSFT"}}[5m])))',
        "requests": f'sum(increase({name}_count{{ticker="MSFT"}}[5m]))',
    }
