"""Diebold-Mariano and Pesaran-Timmermann against hand-computed small cases and known
properties: identical series carry no signal, a clearly better series gives a tiny p."""

import math

import numpy as np
import pytest
from scipy import stats

from nn_estimator.domain.significance import (
    diebold_mariano,
    newey_west_variance,
    pesaran_timmermann,
)

LOSS_A = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
LOSS_B = np.full(5, 2.0)  # d = a - b = [-1, 0, 1, 2, 3], mean 1


def test_dm_at_one_step_by_hand() -> None:
    # gamma0 = (4 + 1 + 0 + 1 + 4) / 5 = 2; DM = 1 / sqrt(2 / 5); HLN factor at h=1:
    # sqrt((5 + 1 - 2) / 5) = sqrt(0.8); so DM* = sqrt(2.5) * sqrt(0.8) = sqrt(2).
    test = diebold_mariano(LOSS_A, LOSS_B, h=1, alternative="greater")
    assert test.statistic == pytest.approx(math.sqrt(2.0))
    assert test.p_value == pytest.approx(stats.t(df=4).sf(math.sqrt(2.0)))
    assert (test.n, test.h, test.mean_difference) == (5, 1, 1.0)


def test_dm_with_overlapping_errors_by_hand() -> None:
    # h=2: lag 1, Bartlett weight 1 - 1/2. Centred d = [-2, -1, 0, 1, 2], so gamma1 =
    # ((-1)(-2) + (0)(-1) + (1)(0) + (2)(1)) / 5 = 0.8 and V = 2 + 2 * 0.5 * 0.8 = 2.8.
    # DM = 1 / sqrt(2.8 / 5); HLN: (5 + 1 - 4 + 2 * 1 / 5) / 5 = 0.48.
    assert newey_west_variance(LOSS_A - LOSS_B, lag=1) == pytest.approx(2.8)
    expected = 1.0 / math.sqrt(2.8 / 5) * math.sqrt(0.48)
    test = diebold_mariano(LOSS_A, LOSS_B, h=2, alternative="greater")
    assert test.statistic == pytest.approx(expected)
    assert expected == pytest.approx(0.92582, abs=1e-5)
    assert test.p_value == pytest.approx(stats.t(df=4).sf(expected))


def test_dm_at_one_step_is_the_paired_t_test() -> None:
    rng = np.random.default_rng(7)
    a, b = np.abs(rng.normal(0, 1, 250)), np.abs(rng.normal(0, 1.1, 250))
    reference = stats.ttest_rel(a, b, alternative="less")
    test = diebold_mariano(a, b, 1, "less")
    assert test.statistic == pytest.approx(reference.statistic)
    assert test.p_value == pytest.approx(reference.pvalue)


@pytest.mark.parametrize(
    ("alternative", "p_value"), [("less", 0.5), ("greater", 0.5), ("two-sided", 1.0)]
)
def test_identical_series_carry_no_signal(alternative: str, p_value: float) -> None:
    errors = np.abs(np.random.default_rng(1).normal(0, 1, 60))
    for h in (1, 5):
        test = diebold_mariano(errors, errors.copy(), h, alternative)  # type: ignore[arg-type]
        assert (test.statistic, test.p_value) == (0.0, p_value)


def test_a_clearly_better_series_gives_a_tiny_p_value() -> None:
    rng = np.random.default_rng(2)
    baseline = np.abs(rng.normal(0, 1, 250))
    better = 0.7 * baseline + 0.05 * np.abs(rng.normal(0, 1, 250))
    for h in (1, 5):
        assert diebold_mariano(better, baseline, h, "less").p_value < 1e-6
        assert diebold_mariano(better, baseline, h, "greater").p_value > 0.999


def test_one_sided_p_values_mirror_each_other() -> None:
    rng = np.random.default_rng(3)
    a, b = np.abs(rng.normal(0, 1, 80)), np.abs(rng.normal(0, 1, 80))
    for h in (1, 5):
        less = diebold_mariano(a, b, h, "less")
        assert less.p_value == pytest.approx(diebold_mariano(b, a, h, "greater").p_value)
        assert less.p_value + diebold_mariano(a, b, h, "greater").p_value == pytest.approx(1.0)


def test_a_constant_difference_is_guarded() -> None:
    base = np.arange(1.0, 11.0)
    test = diebold_mariano(base - 0.5, base, 1, "less")
    assert test.statistic == -math.inf and test.p_value == 0.0


@pytest.mark.parametrize(
    ("a", "b", "h"),
    [(np.ones(1), np.ones(1), 1), (np.ones(3), np.ones(4), 1), (np.ones(5), np.ones(5), 5)],
    ids=["one-day", "misaligned", "too-few-for-h5"],
)
def test_dm_refuses_what_it_cannot_test(a: np.ndarray, b: np.ndarray, h: int) -> None:
    with pytest.raises(ValueError):
        diebold_mariano(a, b, h)


def test_pesaran_timmermann_by_hand() -> None:
    predicted = np.array([1, 1, 0, 1, 0, 1, 1, 0], dtype=bool)
    actual = np.array([1, 0, 0, 1, 0, 1, 1, 1], dtype=bool)
    # P = 6/8 hits, px = 5/8 and py = 5/8 up, P* = py px + (1 - py)(1 - px) = 0.53125
    n, hit, px, py = 8, 0.75, 0.625, 0.625
    expected = py * px + (1 - py) * (1 - px)
    v_hit = expected * (1 - expected) / n
    v_expected = (
        (2 * py - 1) ** 2 * px * (1 - px) / n
        + (2 * px - 1) ** 2 * py * (1 - py) / n
        + 4 * py * px * (1 - py) * (1 - px) / n**2
    )
    statistic = (hit - expected) / math.sqrt(v_hit - v_expected)
    test = pesaran_timmermann(predicted, actual)
    assert statistic == pytest.approx(1.41107, abs=1e-5)
    assert test.statistic == pytest.approx(statistic)
    assert test.p_value == pytest.approx(stats.norm.sf(statistic))
    assert (test.n, test.accuracy) == (8, 0.75)


def test_pesaran_timmermann_properties() -> None:
    rng = np.random.default_rng(4)
    actual = rng.random(300) < 0.55
    perfect, wrong = pesaran_timmermann(actual, actual), pesaran_timmermann(~actual, actual)
    assert perfect.p_value is not None and perfect.p_value < 1e-10
    assert wrong.p_value is not None and wrong.p_value > 0.999  # always wrong
    independent = pesaran_timmermann(rng.random(300) < 0.5, actual)
    assert independent.p_value is not None and 0.05 < independent.p_value < 0.95
    always_up = pesaran_timmermann(np.ones(300, dtype=bool), actual)
    assert (always_up.statistic, always_up.p_value) == (None, None)  # nothing to measure
    assert always_up.accuracy == pytest.approx(actual.mean())
    assert pesaran_timmermann(np.array([], bool), np.array([], bool)).n == 0
