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


def compare(reference: np.ndarray, current: np.ndarray, rule: DriftRule) -> DriftStatistics:
    """All drift statistics of `current` against `reference`, and the rule's verdict."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    reference = reference[np.isfinite(reference)]
    current = current[np.isfinite(current)]
    if reference.size < MIN_SAMPLE_SIZE or current.size < MIN_SAMPLE_SIZE:
        return DriftStatistics(
            reference_n=int(reference.size),
            current_n=int(current.size),
            reason=(
                f"too few values to compare (reference {reference.size}, current "
                f"{current.size}; at least {MIN_SAMPLE_SIZE} each)"
            ),
        )
    ks = stats.ks_2samp(reference, current)
    ks_statistic, ks_p_value = finite_or_none(ks.statistic), finite_or_none(ks.pvalue)
    psi = finite_or_none(population_stability_index(reference, current, rule.psi_bins))
    wasserstein = finite_or_none(normalised_wasserstein(reference, current))
    return DriftStatistics(
        reference_n=int(reference.size),
        current_n=int(current.size),
        ks_statistic=ks_statistic,
        ks_p_value=ks_p_value,
        psi=psi,
        wasserstein=wasserstein,
        decision=decide(rule, int(reference.size), ks_p_value, ks_statistic, wasserstein, psi),
    )
