"""Drift statistics against independent computations, the decision rule as a table, and
samples built to drift (3x volatility) and built not to (same distribution)."""

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from metrics_service.domain.drift import (
    PSI_EPSILON,
    DriftRule,
    Reference,
    compare,
    decide,
    log_returns,
    normalised_wasserstein,
    population_stability_index,
)

RNG_SEED = 20241120

AUTO = DriftRule(method="auto")  # Evidently's size rule


def samples(
    reference_n: int, current_n: int, current_scale: float, seed: int = RNG_SEED
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(0, 0.01, reference_n), rng.normal(0, 0.01 * current_scale, current_n)


def ks_statistic_by_hand(a: np.ndarray, b: np.ndarray) -> float:
    points = np.concatenate([a, b])
    cdf_a = np.array([(a <= x).mean() for x in points])
    cdf_b = np.array([(b <= x).mean() for x in points])
    return float(np.max(np.abs(cdf_a - cdf_b)))


def psi_by_hand(reference: np.ndarray, current: np.ndarray, bins: int) -> float:
    _, edges = pd.qcut(reference, bins, retbins=True, duplicates="drop")
    edges[0], edges[-1] = -np.inf, np.inf
    total = 0.0
    for low, high in itertools.pairwise(edges):
        # np.histogram bins are [low, high) except the last; qcut's are (low, high]: equal
        # here as continuous samples never sit exactly on an edge
        ref_share = max(((reference > low) & (reference <= high)).mean(), PSI_EPSILON)
        cur_share = max(((current > low) & (current <= high)).mean(), PSI_EPSILON)
        total += (cur_share - ref_share) * np.log(cur_share / ref_share)
    return total


def test_log_returns() -> None:
    closes = np.array([100.0, 110.0, 99.0])
    assert log_returns(closes) == pytest.approx([np.log(1.1), np.log(0.9)])


def test_ks_matches_hand_computed_statistic() -> None:
    reference, current = samples(300, 60, 1.5)
    result = compare(reference, current, DriftRule(method="ks"))
    assert result.ks_statistic == pytest.approx(ks_statistic_by_hand(reference, current))
    assert result.ks_p_value == pytest.approx(stats.ks_2samp(reference, current).pvalue)


def test_psi_matches_hand_computation() -> None:
    reference, current = samples(500, 60, 2.0)
    assert population_stability_index(reference, current, 10) == pytest.approx(
        psi_by_hand(reference, current, 10)
    )


def test_psi_of_identical_samples_is_zero() -> None:
    reference, _ = samples(500, 60, 1.0)
    assert population_stability_index(reference, reference, 10) == pytest.approx(0.0, abs=1e-12)


def test_normalised_wasserstein_matches_sorted_difference() -> None:
    # for equal sizes, W1 is the mean gap between the sorted samples
    reference, current = samples(200, 200, 3.0)
    expected = np.mean(np.abs(np.sort(reference) - np.sort(current))) / np.std(reference)
    assert normalised_wasserstein(reference, current) == pytest.approx(expected)


def test_normalised_wasserstein_of_a_flat_reference_uses_the_std_floor() -> None:
    # W1 between all-zeros and all-ones is 1; the reference std 0 is floored at 0.001
    assert normalised_wasserstein(np.zeros(50), np.ones(50)) == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("rule", "reference_n", "p", "w", "psi", "method", "statistic", "detected"),
    [
        (DriftRule(), 5000, 0.01, 0.5, 0.0, "ks", 0.3, True),  # default: KS at any size
        (AUTO, 1000, 0.01, 0.05, 0.0, "ks", 0.3, True),
        (AUTO, 1000, 0.05, 0.5, 0.0, "ks", 0.3, False),  # p == threshold: no drift
        (AUTO, 1001, 0.0001, 0.09, 0.0, "wasserstein", 0.09, False),
        (AUTO, 1001, 0.9, 0.1, 0.0, "wasserstein", 0.1, True),  # >= threshold
        (DriftRule(method="ks"), 5000, 0.01, 0.0, 0.0, "ks", 0.3, True),
        (DriftRule(method="wasserstein"), 10, 0.0, 0.2, 0.0, "wasserstein", 0.2, True),
        (DriftRule(method="psi"), 10, 0.0, 0.0, 0.19, "psi", 0.19, False),
        (DriftRule(method="psi", psi_threshold=0.1), 10, 0.0, 0.0, 0.19, "psi", 0.19, True),
        (
            DriftRule(method="auto", auto_ks_max_reference_rows=10),
            11,
            0.0,
            0.01,
            0.0,
            "wasserstein",
            0.01,
            False,
        ),
        (DriftRule(), 100, None, None, None, "ks", 0.3, None),  # no statistic: no verdict
    ],
)
def test_decision_rule(
    rule: DriftRule,
    reference_n: int,
    p: float | None,
    w: float | None,
    psi: float | None,
    method: str,
    statistic: float,
    detected: bool | None,
) -> None:
    decision = decide(rule, reference_n, p, 0.3 if p is not None else None, w, psi)
    assert decision.method == method
    assert decision.drift_detected is detected
    if detected is not None:
        assert decision.statistic == pytest.approx(statistic)


SEEDS = range(40)


def detection_rate(reference_n: int, current_n: int, scale: float, rule: DriftRule) -> float:
    verdicts = []
    for seed in SEEDS:
        result = compare(*samples(reference_n, current_n, scale, seed), rule)
        assert result.decision is not None
        verdicts.append(result.decision.drift_detected)
    return sum(bool(verdict) for verdict in verdicts) / len(verdicts)


@pytest.mark.parametrize("reference_n", [500, 2500])  # KS rule, then Wasserstein rule
def test_triple_volatility_drifts(reference_n: int) -> None:
    reference, current = samples(reference_n, 60, 3.0)
    result = compare(reference, current, AUTO)
    assert result.decision is not None
    assert result.decision.method == ("ks" if reference_n <= 1000 else "wasserstein")
    assert result.decision.drift_detected is True
    assert result.psi is not None and result.psi > 0.2
    assert detection_rate(reference_n, 60, 3.0, AUTO) == 1.0
    assert detection_rate(reference_n, 60, 3.0, DriftRule()) == 1.0


@pytest.mark.parametrize(
    ("reference_n", "current_n", "rule"),
    [
        (500, 60, AUTO),  # auto -> KS
        (2500, 60, DriftRule()),  # the default, KS
        # auto -> Wasserstein needs a large current sample too: with 60 current values the
        # sampling noise alone is about 0.15 reference std (median over 300 same-distribution
        # draws, reference 2,500 and current 60)
        (2500, 1500, AUTO),
    ],
)
def test_same_distribution_rarely_drifts(reference_n: int, current_n: int, rule: DriftRule) -> None:
    # Same distribution on both sides: a 5 % test flags about 2 of 40 seeds by chance.
    assert detection_rate(reference_n, current_n, 1.0, rule) <= 0.15


def test_too_few_values_give_a_reason_not_a_verdict() -> None:
    result = compare(np.ones(100), np.ones(3), DriftRule())
    assert result.decision is None
    assert result.reason == (
        "too few values to compare (reference 100, current 3; at least 5 each)"
    )


@pytest.mark.parametrize(("reference_n", "window"), [(79, 20), (2520, 60), (2520, 5000)])
def test_prepared_reference_gives_scipys_figures_window_after_window(
    reference_n: int, window: int
) -> None:
    """The history prepares the reference once and caches KS p-values by statistic: every
    figure must still be the one scipy gives for that pair of samples."""
    rng = np.random.default_rng(RNG_SEED)
    reference_values = rng.normal(0, 0.01, reference_n)
    series = rng.normal(0, 0.012, window + 30)
    prepared = Reference.of(reference_values, 10)
    for first in range(0, 30, 3):
        current = series[first : first + window]
        result = compare(prepared, current, DriftRule())
        ks = stats.ks_2samp(reference_values, current)
        assert result.ks_statistic == pytest.approx(ks.statistic)
        assert result.ks_p_value == pytest.approx(ks.pvalue)
        assert result.wasserstein == pytest.approx(
            stats.wasserstein_distance(reference_values, current) / np.std(reference_values)
        )
        assert result.psi == pytest.approx(
            population_stability_index(reference_values, current, 10)
        )


def test_prepared_reference_skips_non_finite_values() -> None:
    values = np.array([0.01, -0.02, np.inf, 0.0, np.nan, 0.03, -0.01, 0.02])
    prepared = Reference.of(values, 10)
    assert prepared.values.tolist() == sorted([0.01, -0.02, 0.0, 0.03, -0.01, 0.02])
    result = compare(prepared, np.array([np.inf, 0.01, 0.02, -0.01, 0.0, 0.03]), DriftRule())
    assert (result.reference_n, result.current_n) == (6, 5)
