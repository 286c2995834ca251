"""The day-by-day walk-forward series: one point per evaluated day of each slice, date-ascending,
each forecast beside the close it was made for, refused at any horizon but 1 or when two
slices claim the same day."""

import math

import numpy as np
import pytest

from nn_estimator.domain.evaluation import HorizonForecasts, walk_forward
from nn_estimator.domain.walk_forward_series import series_document, series_points

CLOSES = np.linspace(10.0, 20.0, 60)
DATES = np.datetime64("2017-01-02") + np.arange(60)
INPUT_LENGTH = 5


def banded_naive(windows: np.ndarray) -> np.ndarray:
    """(B, L) -> (B, 5, 3): the last close x 1.001 as the point, a +-1% band."""
    point = np.repeat(windows[:, -1:, None], 5, axis=1) * 1.001
    return np.concatenate([point * 0.99, point, point * 1.01], axis=2)


def h1(start: int, end: int | None = None) -> HorizonForecasts:
    return walk_forward(banded_naive, CLOSES, start, INPUT_LENGTH, (1,), end)[1]


SLICES = {"holdout": h1(40), "validation": h1(20, 40)}  # given out of order on purpose


def test_one_point_per_evaluated_day_in_date_order_labelled_by_slice() -> None:
    points = series_points(SLICES, DATES, 0.01)
    assert [p["date"] for p in points] == [str(d) for d in DATES[20:]]
    assert [p["slice"] for p in points] == ["validation"] * 20 + ["holdout"] * 20


def test_each_point_holds_the_forecasts_made_the_day_before() -> None:
    points = series_points(SLICES, DATES, 0.01)
    first = points[0]  # target day 20, forecast from day 19
    assert first["actual"] == CLOSES[20]
    assert first["naive"] == CLOSES[19]
    assert first["lstm"] == pytest.approx(CLOSES[19] * 1.001)
    assert first["drift"] == pytest.approx(CLOSES[19] * math.exp(0.01))
    assert first["lower"] == pytest.approx(CLOSES[19] * 1.001 * 0.99)
    assert first["upper"] == pytest.approx(CLOSES[19] * 1.001 * 1.01)
    assert all(
        isinstance(value, float) for key, value in first.items() if key not in ("date", "slice")
    )


@pytest.mark.parametrize(
    ("field", "array"),
    [("lower", "lower"), ("upper", "upper")],
)
def test_a_non_finite_bound_is_null(field: str, array: str) -> None:
    f = h1(40)
    values = getattr(f, array).copy()
    values[0] = np.nan
    broken = HorizonForecasts(
        **{**{k: getattr(f, k) for k in f.__dataclass_fields__}, array: values}
    )
    points = series_points({"holdout": broken}, DATES, 0.0)
    assert points[0][field] is None and points[1][field] is not None


@pytest.mark.parametrize(
    ("slices", "message"),
    [
        ({"holdout": walk_forward(banded_naive, CLOSES, 40, INPUT_LENGTH)[5]}, "h = 1"),
        ({"validation": h1(20, 45), "holdout": h1(40)}, "overlap"),
    ],
    ids=["horizon 5", "overlapping slices"],
)
def test_refused(slices: dict[str, HorizonForecasts], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        series_points(slices, DATES, 0.0)


def test_the_document_states_horizon_and_interval() -> None:
    document = series_document(SLICES, DATES, 0.0, 0.9)
    assert (document["horizon"], document["interval"], len(document["points"])) == (1, 0.9, 40)
