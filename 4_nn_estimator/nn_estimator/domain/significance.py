"""Significance tests for forecasts, pure numpy/scipy: is one forecast's loss really lower than
another's (Diebold-Mariano), and does a forecast's direction carry information (Pesaran-
Timmermann)? Used by the gate (promote only on a significant gain) and the evaluation document.

Diebold, F. X. and Mariano, R. S. (1995), Comparing predictive accuracy, JBES 13(3).
Harvey, D., Leybourne, S. and Newbold, P. (1997), Testing the equality of prediction mean
squared errors, IJF 13(2): the small-sample correction and the Student-t reference.
Pesaran, M. H. and Timmermann, A. (1992), A simple nonparametric test of predictive
performance, JBES 10(4)."""

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

Alternative = Literal["less", "greater", "two-sided"]


@dataclass(frozen=True)
class DieboldMariano:
    """Test of equal expected loss of forecasts a and b from d = loss_a - loss_b.

    `alternative` is the hypothesis the p-value is for: "less" = a's loss is lower (a is
    better), "greater" = a's loss is higher (a is worse)."""

    statistic: float  # HLN-corrected; +-inf when every d is the same non-zero number
    p_value: float
    n: int
    h: int
    mean_difference: float  # mean(loss_a - loss_b)
    alternative: Alternative


@dataclass(frozen=True)
class PesaranTimmermann:
    """Does the predicted direction agree with the actual one more often than independent
    guesses with the same up-rates would? One-sided (H1: it does). None when either side
    never changes direction (always "up", say): the test has nothing to measure then."""

    statistic: float | None
    p_value: float | None
    n: int
    accuracy: float | None


def newey_west_variance(d: np.ndarray, lag: int) -> float:
    """Long-run variance of d: autocovariances up to `lag`, Bartlett weights 1 - k/(lag+1)
    (never negative), each autocovariance divided by n."""
    n = len(d)
    centred = d - d.mean()
    variance = float(centred @ centred) / n
    for k in range(1, min(lag, n - 1) + 1):
        weight = 1.0 - k / (lag + 1.0)
        variance += 2.0 * weight * float(centred[k:] @ centred[:-k]) / n
    return variance


def diebold_mariano(
    loss_a: np.ndarray, loss_b: np.ndarray, h: int = 1, alternative: Alternative = "less"
) -> DieboldMariano:
    """Diebold-Mariano on per-day losses (here absolute errors) of two forecasts of the same
    h-step targets: HAC (Newey-West) variance with lag h - 1, since h-step errors overlap;
    the Harvey-Leybourne-Newbold factor sqrt((n + 1 - 2h + h(h - 1)/n) / n); Student-t with
    n - 1 degrees of freedom. At h = 1 this is exactly the paired t-test.

    A zero variance (identical series, or a constant difference) is guarded: no difference
    gives statistic 0 (p 0.5 one-sided, 1 two-sided); a constant non-zero one gives +-inf."""
    a = np.asarray(loss_a, dtype=np.float64)
    b = np.asarray(loss_b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"loss series must be 1-D and aligned, got {a.shape} and {b.shape}")
    if h < 1:
        raise ValueError(f"horizon must be at least 1, got {h}")
    n = len(a)
    correction = (n + 1 - 2 * h + h * (h - 1) / n) / n if n else 0.0
    if n < 2 or correction <= 0:
        raise ValueError(f"{n} paired losses are too few for a Diebold-Mariano test at h={h}")
    d = a - b
    mean = float(d.mean())
    variance = newey_west_variance(d, h - 1)
    if variance <= 1e-300 or not math.isfinite(variance):
        statistic = 0.0 if mean == 0 else math.copysign(math.inf, mean)
    else:
        statistic = mean / math.sqrt(variance / n) * math.sqrt(correction)
    reference = stats.t(df=n - 1)
    if alternative == "less":
        p_value = float(reference.cdf(statistic))
    elif alternative == "greater":
        p_value = float(reference.sf(statistic))
    else:
        p_value = min(1.0, float(2.0 * reference.sf(abs(statistic))))
    return DieboldMariano(float(statistic), p_value, n, h, mean, alternative)


def pesaran_timmermann(predicted_up: np.ndarray, actual_up: np.ndarray) -> PesaranTimmermann:
    """Pesaran-Timmermann on two boolean series (True = up), asymptotically normal:
    (P - P*) / sqrt(V(P) - V(P*)), P the hit rate, P* = py px + (1 - py)(1 - px) the hit
    rate of independent guesses with the same up-rates px (forecast) and py (actual)."""
    x = np.asarray(predicted_up, dtype=bool)
    y = np.asarray(actual_up, dtype=bool)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"direction series must be 1-D and aligned, got {x.shape} and {y.shape}")
    n = len(x)
    if n == 0:
        return PesaranTimmermann(None, None, 0, None)
    hit_rate = float(np.mean(x == y))
    px, py = float(x.mean()), float(y.mean())
    expected = py * px + (1 - py) * (1 - px)
    var_hits = expected * (1 - expected) / n
    var_expected = (
        (2 * py - 1) ** 2 * px * (1 - px) / n
        + (2 * px - 1) ** 2 * py * (1 - py) / n
        + 4 * py * px * (1 - py) * (1 - px) / n**2
    )
    variance = var_hits - var_expected
    if variance <= 1e-15:
        return PesaranTimmermann(None, None, n, hit_rate)
    statistic = (hit_rate - expected) / math.sqrt(variance)
    return PesaranTimmermann(statistic, float(stats.norm.sf(statistic)), n, hit_rate)
