"""Inference latency from a Prometheus histogram read straight from an exposition text.

Used when Prometheus is not configured or not answering: the estimator's own /metrics holds
cumulative counters since its process started, so the mean is sum/count over its lifetime
and the p95 is estimated from the cumulative buckets with the same linear interpolation as
PromQL's histogram_quantile.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

INFERENCE_HISTOGRAM = "nn_estimator_inference_seconds"


@dataclass(frozen=True)
class HistogramSnapshot:
    buckets: list[tuple[float, float]]  # (upper bound "le", cumulative count), sorted by bound
    total: float  # the _sum sample
    count: float  # the _count sample

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count > 0 else None


def parse_histogram(
    exposition: str, name: str, labels: dict[str, str] | None = None
) -> HistogramSnapshot | None:
    """The histogram `name` summed over the series whose labels include `labels`.

    None when the exposition has no such family or no matching series (e.g. a labelled
    histogram nobody has observed yet)."""
    wanted = labels or {}
    buckets: dict[float, float] = defaultdict(float)
    total = count = 0.0
    found = False
    for family in text_string_to_metric_families(exposition):
        if family.name != name or family.type != "histogram":
            continue
        for sample in family.samples:
            if any(sample.labels.get(key) != value for key, value in wanted.items()):
                continue
            found = True
            if sample.name == f"{name}_bucket":
                buckets[float(sample.labels["le"])] += sample.value
            elif sample.name == f"{name}_sum":
                total += sample.value
            elif sample.name == f"{name}_count":
                count += sample.value
    if not found:
        return None
    return HistogramSnapshot(sorted(buckets.items()), total, count)


def bucket_quantile(q: float, buckets: list[tuple[float, float]]) -> float | None:
    """Quantile `q` of cumulative buckets, following Prometheus' histogram_quantile: linear
    interpolation inside the bucket holding the rank, the lowest bucket starting at 0, and
    the highest finite bound returned when the rank falls in the +Inf bucket. None when the
    histogram is empty or has no +Inf bucket."""
    if not buckets or not math.isinf(buckets[-1][0]):
        return None
    observations = buckets[-1][1]
    if observations <= 0:
        return None
    rank = q * observations
    index = next(i for i, (_, cumulative) in enumerate(buckets) if cumulative >= rank)
    if index == len(buckets) - 1:
        return buckets[-2][0] if len(buckets) > 1 else None
    upper, cumulative = buckets[index]
    lower, below = (0.0, 0.0) if index == 0 else buckets[index - 1]
    in_bucket = cumulative - below
    if in_bucket <= 0:
        return upper
    return lower + (upper - lower) * (rank - below) / in_bucket
