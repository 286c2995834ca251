"""Data drift between a reference sample (the champion's training window) and a recent one.

Drift is measured on stationary signals, daily log returns and volume, never on raw prices
(which always drift). Three statistics are computed for every comparison:

- two-sample Kolmogorov-Smirnov (scipy.stats.ks_2samp): statistic and p-value;
- PSI over `bins` quantile bins of the reference (outer bins open-ended), with empty bins
  given a proportion of PSI_EPSILON (1e-4, as Evidently does) so the logarithm stays finite;
- Wasserstein distance divided by the reference's standard deviation (Evidently's "normed"
  Wasserstein; the std is floored at 0.001 as there, so a flat reference cannot divide by 0).

The decision (`decide`) is a pure function of those numbers and a `DriftRule`. Its default
follows Evidently for numerical columns: KS p-value < 0.05 when the reference has at most
1000 rows, otherwise normalised Wasserstein >= 0.1 (KS is over-sensitive on large samples).
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from stock_db.numbers import finite_or_none

PSI_EPSILON = 1e-4
WASSERSTEIN_STD_FLOOR = 0.001
# Fewer values than this on either side and the statistics mean little: no verdict.
MIN_SAMPLE_SIZE = 5

Method = Literal["ks", "wasserstein", "psi"]
# "auto" picks KS or Wasserstein by the reference's size, as Evidently does.
RuleMethod = Literal["auto", "ks", "wasserstein", "psi"]


@dataclass(frozen=True)
class DriftRule:
    # KS by default: Evidently's "auto" switches to Wasserstein above 1,000 reference rows, but
    # against a 60-day current window Wasserstein >= 0.1 fires on noise: over 300 draws of the
    # same normal distribution (reference 2,500 rows, current 60) it did in 91 % of them (median
    # 0.155), PSI >= 0.2 in 35 %, KS p < 0.05 in 6 %.
    method: RuleMethod = "ks"
    ks_p_threshold: float = 0.05
    wasserstein_threshold: float = 0.1
    psi_threshold: float = 0.2
    auto_ks_max_reference_rows: int = 1000
    psi_bins: int = 10

    def describe(self) -> str:
        if self.method == "auto":
            return (
                f"KS p-value < {self.ks_p_threshold} when the reference has <= "
                f"{self.auto_ks_max_reference_rows} rows, else normalised Wasserstein >= "
                f"{self.wasserstein_threshold}"
            )
        return {
            "ks": f"KS p-value < {self.ks_p_threshold}",
            "wasserstein": f"normalised Wasserstein >= {self.wasserstein_threshold}",
            "psi": f"PSI >= {self.psi_threshold}",
        }[self.method]


@dataclass(frozen=True)
class Decision:
    method: Method
    statistic: float | None
    threshold: float
    drift_detected: bool | None


@dataclass(frozen=True)
class DriftStatistics:
    reference_n: int
    current_n: int
    ks_statistic: float | None = None
    ks_p_value: float | None = None
    psi: float | None = None
    wasserstein: float | None = None
    decision: Decision | None = None
    reason: str | None = None


def log_returns(closes: np.ndarray) -> np.ndarray:
    """Daily log returns of consecutive closes (one fewer value than closes)."""
    closes = np.asarray(closes, dtype=float)
    return np.diff(np.log(closes)) if closes.size > 1 else np.empty(0)


def population_stability_index(
    reference: np.ndarray, current: np.ndarray, bins: int = 10, epsilon: float = PSI_EPSILON
) -> float:
    """PSI with bin edges at the reference's quantiles; repeated edges (ties) are merged."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    inner_edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1))[1:-1])
    edges = np.concatenate(([-np.inf], inner_edges, [np.inf]))
    reference_share = np.histogram(reference, edges)[0] / reference.size
    current_share = np.histogram(current, edges)[0] / current.size
    reference_share = np.where(reference_share == 0, epsilon, reference_share)
    current_share = np.where(current_share == 0, epsilon, current_share)
    return float(
        np.sum((current_share - reference_share) * np.log(current_share / reference_share))
    )


def normalised_wasserstein(reference: np.ndarray, current: np.ndarray) -> float:
    norm = max(float(np.std(reference)), WASSERSTEIN_STD_FLOOR)
    return float(stats.wasserstein_distance(reference, current)) / norm


def decide(
    rule: DriftRule,
    reference_n: int,
    ks_p_value: float | None,
    ks_statistic: float | None,
    wasserstein: float | None,
    psi: float | None,
) -> Decision:
    """Which test applies, its statistic and threshold, and whether it flags drift.

    `statistic` is the applied test's own number (KS D for "ks"). A missing statistic (None)
    gives drift_detected None: no verdict rather than a guess."""
    method: Method
    if rule.method == "auto":
        method = "ks" if reference_n <= rule.auto_ks_max_reference_rows else "wasserstein"
    else:
        method = rule.method
    if method == "ks":
        detected = None if ks_p_value is None else ks_p_value < rule.ks_p_threshold
        return Decision("ks", ks_statistic, rule.ks_p_threshold, detected)
    if method == "wasserstein":
        detected = None if wasserstein is None else wasserstein >= rule.wasserstein_threshold
        return Decision("wasserstein", wasserstein, rule.wasserstein_threshold, detected)
    detected = None if psi is None else psi >= rule.psi_threshold
    return Decision("psi", psi, rule.psi_threshold, detected)


@dataclass(frozen=True)
class Reference:
    """A reference sample prepared once and compared against many current windows (the
    history compares one per day): sorted finite values, the PSI bin edges and shares, and
    the Wasserstein norm. A per-reference cache of KS p-values, which depend only on
    (reference size, current size, statistic), spares scipy's exact computation on the days
    whose statistic repeats."""

    values: np.ndarray  # sorted, finite
    psi_edges: np.ndarray
    psi_shares: np.ndarray
    wasserstein_norm: float
    ks_cache: dict[tuple[int, int], tuple[float, float]]

    @classmethod
    def of(cls, values: np.ndarray, psi_bins: int) -> "Reference":
        sample = np.sort(np.asarray(values, dtype=float))
        sample = sample[np.isfinite(sample)]
        if sample.size == 0:
            edges = np.array([-np.inf, np.inf])
            shares = np.array([1.0])
        else:
            inner = np.unique(np.quantile(sample, np.linspace(0, 1, psi_bins + 1))[1:-1])
            edges = np.concatenate(([-np.inf], inner, [np.inf]))
            shares = np.histogram(sample, edges)[0] / sample.size
        norm = max(float(np.std(sample)) if sample.size else 0.0, WASSERSTEIN_STD_FLOOR)
        return cls(sample, edges, shares, norm, {})


def _ks(reference: Reference, current: np.ndarray) -> tuple[float | None, float | None]:
    """KS statistic and p-value, as scipy.stats.ks_2samp gives them (two-sided, method
    auto); the statistic is computed here, the p-value by scipy once per distinct statistic."""
    first, second = reference.values, current
    both = np.concatenate([first, second])
    gap = np.searchsorted(first, both, side="right") * second.size
    gap = gap - np.searchsorted(second, both, side="right") * first.size
    key = (second.size, int(np.max(np.abs(gap))))
    if key not in reference.ks_cache:
        result = stats.ks_2samp(first, second)
        reference.ks_cache[key] = (float(result.statistic), float(result.pvalue))
    statistic, p_value = reference.ks_cache[key]
    return finite_or_none(statistic), finite_or_none(p_value)


def _wasserstein(reference: Reference, current: np.ndarray) -> float:
    """scipy.stats.wasserstein_distance over sorted samples, divided by the reference's norm."""
    both = np.sort(np.concatenate([reference.values, current]))
    deltas = np.diff(both)
    first_cdf = np.searchsorted(reference.values, both[:-1], side="right") / reference.values.size
    second_cdf = np.searchsorted(current, both[:-1], side="right") / current.size
    return float(np.sum(np.abs(first_cdf - second_cdf) * deltas)) / reference.wasserstein_norm


def _psi(reference: Reference, current: np.ndarray, epsilon: float = PSI_EPSILON) -> float:
    current_share = np.histogram(current, reference.psi_edges)[0] / current.size
    reference_share = np.where(reference.psi_shares == 0, epsilon, reference.psi_shares)
    current_share = np.where(current_share == 0, epsilon, current_share)
    return float(
        np.sum((current_share - reference_share) * np.log(current_share / reference_share))
    )


def compare(
    reference: "np.ndarray | Reference", current: np.ndarray, rule: DriftRule
) -> DriftStatistics:
    """All drift statistics of `current` against `reference` (values, or a prepared
    Reference when many windows are compared to one sample), and the rule's verdict."""
    if not isinstance(reference, Reference):
        reference = Reference.of(reference, rule.psi_bins)
    current = np.asarray(current, dtype=float)
    current = np.sort(current[np.isfinite(current)])
    size = int(reference.values.size)
    if size < MIN_SAMPLE_SIZE or current.size < MIN_SAMPLE_SIZE:
        return DriftStatistics(
            reference_n=size,
            current_n=int(current.size),
            reason=(
                f"too few values to compare (reference {size}, current "
                f"{current.size}; at least {MIN_SAMPLE_SIZE} each)"
            ),
        )
    ks_statistic, ks_p_value = _ks(reference, current)
    psi = finite_or_none(_psi(reference, current))
    wasserstein = finite_or_none(_wasserstein(reference, current))
    return DriftStatistics(
        reference_n=size,
        current_n=int(current.size),
        ks_statistic=ks_statistic,
        ks_p_value=ks_p_value,
        psi=psi,
        wasserstein=wasserstein,
        decision=decide(rule, size, ks_p_value, ks_statistic, wasserstein, psi),
    )
