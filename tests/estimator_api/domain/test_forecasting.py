"""The pure request decisions: window by date, explicit history, horizon, steps."""

import datetime as dt

import numpy as np
import pytest

from estimator_api.domain.forecasting import (
    FLOAT32_MAX,
    FLOAT32_MIN_NORMAL,
    InputError,
    build_steps,
    check_horizon,
    check_output,
    prediction_row_problem,
    validation_windows,
    window_for_date,
    window_from_history,
)
from nn_estimator.domain.series import CloseSeries

D = dt.date
# Mon 6 .. Fri 10 and Mon 13 .. Tue 14 November 2017, closes 1..7.
SERIES = CloseSeries(
    ticker="MSFT",
    dates=np.array(
        ["2017-11-06", "2017-11-07", "2017-11-08", "2017-11-09", "2017-11-10", "2017-11-13",
         "2017-11-14"],
        dtype="datetime64[D]",
    ),
    closes=np.arange(1.0, 8.0),
)  # fmt: skip


@pytest.mark.parametrize(
    ("day", "length", "as_of", "window"),
    [
        (D(2017, 11, 10), 3, D(2017, 11, 10), [3.0, 4.0, 5.0]),
        (D(2017, 11, 12), 3, D(2017, 11, 10), [3.0, 4.0, 5.0]),  # Sunday: last close before
        (D(2017, 11, 8), 3, D(2017, 11, 8), [1.0, 2.0, 3.0]),  # the first full window
        (D(2030, 1, 1), 2, D(2017, 11, 14), [6.0, 7.0]),  # after the newest close: newest
    ],
)
def test_window_for_date(day: dt.date, length: int, as_of: dt.date, window: list[float]) -> None:
    got_as_of, got_window = window_for_date(SERIES, day, length)
    assert got_as_of == as_of
    assert got_window.tolist() == window


@pytest.mark.parametrize(
    ("day", "length", "message"),
    [
        (D(2017, 11, 7), 3, "first date with a full window of 3 closes is 2017-11-08"),
        (D(2000, 1, 1), 3, "before the first full input window"),
        (D(2017, 11, 14), 8, "only 7 closes are stored, 8 are needed"),
    ],
)
def test_window_for_date_refuses(day: dt.date, length: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        window_for_date(SERIES, day, length)
    assert caught.value.field == "date"


@pytest.mark.parametrize(
    ("history", "length", "error"),
    [
        ([1.0, 2.0, 3.0], 2, None),
        ([1.0], 2, "at least 2 closes"),
        ([1.0, float("nan")], 2, "float32's normal range"),
        ([1.0, float("inf")], 2, "float32's normal range"),
        ([1.0, 0.0], 2, "float32's normal range"),
        ([1.0, -2.0], 2, "float32's normal range"),
        # Finite in float64 but not representable (or only as a denormal) in float32, where
        # the model computes: refused, not answered with null.
        ([1.0, 1e308], 2, "float32's normal range"),
        ([1.0, 3.5e38], 2, "float32's normal range"),
        ([1.0, 1e-50], 2, "float32's normal range"),
        ([1.0, 1e-39], 2, "float32's normal range"),  # a float32 denormal
        ([FLOAT32_MIN_NORMAL, FLOAT32_MAX], 2, None),  # the bounds themselves are fine
        ([-1.0, 2.0, 3.0], 2, None),  # only the last `length` closes are used
    ],
)
def test_window_from_history(history: list[float], length: int, error: str | None) -> None:
    if error is None:
        assert window_from_history(history, length).tolist() == history[-length:]
    else:
        with pytest.raises(InputError, match=error):
            window_from_history(history, length)


@pytest.mark.parametrize(("horizon", "ok"), [(0, False), (1, True), (5, True), (6, False)])
def test_check_horizon(horizon: int, ok: bool) -> None:
    if ok:
        check_horizon(horizon, 5)
    else:
        with pytest.raises(InputError, match="between 1 and 5") as caught:
            check_horizon(horizon, 5)
        assert caught.value.field == "horizon"


def test_build_steps_keeps_the_band_around_the_point() -> None:
    output = np.array([[9.0, 10.0, 11.0], [10.5, 10.0, 12.0], [8.0, 10.0, 9.5]])
    steps = build_steps(output, 3, [D(2017, 11, 13), D(2017, 11, 14), D(2017, 11, 15)])
    assert [(s.step, s.lower, s.close, s.upper) for s in steps] == [
        (1, 9.0, 10.0, 11.0),
        (2, 10.0, 10.0, 12.0),
        (3, 8.0, 10.0, 10.0),
    ]
    assert [s.date for s in build_steps(output, 2, None)] == [None, None]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("field", ["history", "date"])
def test_build_steps_refuses_an_output_that_is_not_finite(bad: float, field: str) -> None:
    output = np.array([[9.0, 10.0, 11.0], [9.0, bad, 11.0]])
    with pytest.raises(InputError, match="outside what the model can forecast") as caught:
        build_steps(output, 2, None, field=field)
    assert (caught.value.field, caught.value.kind) == (field, "forecast_not_finite")
    # Only the steps asked for count: a bad step beyond the horizon is never served.
    assert [s.close for s in build_steps(output, 1, None)] == [10.0]


GOOD_ROW = {
    "ticker": "MSFT",
    "model_version": 1,
    "requested_at": dt.datetime(2017, 11, 10, 21, tzinfo=dt.UTC),
    "as_of": D(2017, 11, 10),
    "target_date": D(2017, 11, 13),
    "horizon": 1,
    "predicted": 84.0,
    "lower": 83.0,
    "upper": 85.0,
    "latency_seconds": 0.0002,
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"lower": 84.0, "upper": 84.0}, None),  # a zero-width band is ordered
        ({"predicted": None}, "missing predicted"),
        ({"ticker": None, "as_of": None}, "missing ticker, as_of"),
        ({"predicted": float("nan")}, "not finite"),
        ({"upper": float("inf")}, "not finite"),
        ({"lower": float("-inf")}, "not finite"),
        ({"latency_seconds": float("nan")}, "not finite"),
        ({"lower": 84.5}, "band not ordered"),
        ({"upper": 83.5}, "band not ordered"),
        ({"target_date": D(2017, 11, 10)}, "not after as_of"),
        ({"target_date": D(2017, 11, 9)}, "not after as_of"),
        ({"horizon": 0}, "horizon 0 < 1"),
        ({"latency_seconds": -1.0}, "negative latency"),
    ],
)
def test_prediction_row_problem(change: dict[str, object], problem: str | None) -> None:
    found = prediction_row_problem({**GOOD_ROW, **change})
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (np.ones((2, 5, 3)), None),
        (np.ones((2, 4, 3)), "shape"),
        (np.ones((1, 5, 3)), "shape"),
        (np.full((2, 5, 3), np.nan), "NaN"),
    ],
)
def test_check_output(output: np.ndarray, message: str | None) -> None:
    if message is None:
        check_output(output, 2, 5)
    else:
        with pytest.raises(ValueError, match=message):
            check_output(output, 2, 5)


def test_validation_windows_are_the_newest_and_an_older_real_window() -> None:
    closes = np.arange(1.0, 11.0)
    assert validation_windows(closes, 3).tolist() == [[8.0, 9.0, 10.0], [3.0, 4.0, 5.0]]


@pytest.mark.parametrize("closes", [None, np.arange(1.0, 8.0)])  # none, or fewer than L + 5
def test_validation_windows_fall_back_to_a_gentle_ramp(closes: np.ndarray | None) -> None:
    windows = validation_windows(closes, 3)
    assert windows.shape == (2, 3)
    assert windows[0] == pytest.approx([100.0, 102.5315, 105.1271], rel=1e-4)
    assert windows[1].tolist() == windows[0][::-1].tolist()
