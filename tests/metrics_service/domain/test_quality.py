"""Error metrics, rel_mae and MASE, the MASE scale and drift rate of a training window, the
rebased and drift forecasts, skipping non-finite rows, the one-prediction-per-target-date
rule and rolling figures, each checked against a computation written out here."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from metrics_service.domain.quality import (
    daily_quality,
    drift_forecast,
    error_metrics,
    last_trading_days,
    latest_per_target,
    mean_log_return,
    one_step_naive_mae,
    ratio,
    rebased_forecast,
    scored,
    summarise,
    valid_rows,
)

ACTUAL = [100.0, 102.0, 101.0, 105.0, 104.0]
PREDICTED = [101.0, 101.0, 103.0, 104.0, 104.5]


def test_error_metrics_match_hand_computation() -> None:
    squared = [(p - a) ** 2 for p, a in zip(PREDICTED, ACTUAL, strict=True)]
    absolute = [abs(p - a) for p, a in zip(PREDICTED, ACTUAL, strict=True)]
    metrics = error_metrics(np.array(ACTUAL), np.array(PREDICTED))
    assert metrics.mse == pytest.approx(sum(squared) / 5)
    assert metrics.rmse == pytest.approx(math.sqrt(sum(squared) / 5))
    assert metrics.mae == pytest.approx(sum(absolute) / 5)
    expected_mape = 100 * sum(e / a for e, a in zip(absolute, ACTUAL, strict=True)) / 5
    assert metrics.mape == pytest.approx(expected_mape)


def test_error_metrics_of_nothing_are_none() -> None:
    metrics = error_metrics(np.array([]), np.array([]))
    assert (metrics.mse, metrics.rmse, metrics.mae, metrics.mape) == (None, None, None, None)


@pytest.mark.parametrize(
    ("model_mae", "naive_mae", "expected"),
    [
        (2.0, 4.0, 0.5),
        (3.0, 3.0, 1.0),
        (1.0, 0.0, None),  # flat prices: the naive forecast is perfect, MASE undefined
        (None, 2.0, None),
        (2.0, None, None),
    ],
)
def test_ratio(model_mae: float | None, naive_mae: float | None, expected: float | None) -> None:
    assert ratio(model_mae, naive_mae) == expected


INF, NAN = math.inf, math.nan


@pytest.mark.parametrize(
    ("closes", "scale", "rate"),
    [
        ([100.0, 102.0, 101.0, 104.0], (2 + 1 + 3) / 3, math.log(104 / 100) / 3),
        ([100.0], None, None),  # no pair
        ([], None, None),
        ([100.0, 100.0, 100.0], 0.0, 0.0),  # flat: a zero scale, MASE then undefined
        # a pair touching a broken close is left out, the others kept
        ([100.0, INF, 101.0, 103.0], 2.0, math.log(103 / 101)),
        ([100.0, NAN, 101.0, 103.0], 2.0, math.log(103 / 101)),
        ([100.0, 0.0, 101.0, 103.0], 2.0, math.log(103 / 101)),
        ([INF, NAN], None, None),
    ],
)
def test_training_window_scale_and_rate(
    closes: list[float], scale: float | None, rate: float | None
) -> None:
    assert one_step_naive_mae(np.array(closes)) == pytest.approx(scale)
    assert mean_log_return(np.array(closes)) == pytest.approx(rate)


@pytest.mark.parametrize(
    ("predicted", "as_of_close", "close_now", "expected"),
    [
        (101.0, NAN, 100.0, 101.0),  # old row: no close logged, scored as logged
        (101.0, 100.0, 100.0, 101.0),  # no re-adjustment since
        (101.0, 100.0, 98.0, 101.0 / 100.0 * 98.0),  # dividend re-adjustment: 2 % lower now
        (101.0, 0.0, 98.0, INF),  # a zero close logged: not finite, the row is then invalid
    ],
)
def test_rebased_forecast(
    predicted: float, as_of_close: float, close_now: float, expected: float
) -> None:
    result = rebased_forecast(np.array([predicted]), np.array([as_of_close]), np.array([close_now]))
    assert result[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("close", "horizon", "rate", "expected"),
    [
        (100.0, 1, 0.001, 100.0 * math.exp(0.001)),
        (100.0, 5, 0.001, 100.0 * math.exp(0.005)),
        (100.0, 3, 0.0, 100.0),
        (100.0, 1, -0.002, 100.0 * math.exp(-0.002)),
    ],
)
def test_drift_forecast(close: float, horizon: int, rate: float, expected: float) -> None:
    assert drift_forecast(np.array([close]), horizon, rate)[0] == pytest.approx(expected)


def test_drift_forecast_without_a_rate_is_nan() -> None:
    assert np.isnan(drift_forecast(np.array([100.0]), 1, None)).all()


@pytest.mark.parametrize(
    ("predicted", "as_of_close", "actual", "naive", "valid"),
    [
        (101.0, None, 100.0, 99.0, True),
        (101.0, 99.0, 100.0, 99.0, True),
        (INF, None, 100.0, 99.0, False),
        (-INF, None, 100.0, 99.0, False),
        (NAN, None, 100.0, 99.0, False),
        (101.0, INF, 100.0, 99.0, False),
        (101.0, 0.0, 100.0, 99.0, False),
        (101.0, -1.0, 100.0, 99.0, False),
        (101.0, None, INF, 99.0, False),
        (101.0, None, NAN, 99.0, False),
        (101.0, None, 100.0, INF, False),
        (101.0, None, 100.0, 0.0, False),
        (1e308, 1e-300, 100.0, 99.0, False),  # the rebased forecast overflows
    ],
)
def test_rows_with_non_finite_values_are_invalid(
    predicted: float, as_of_close: float | None, actual: float, naive: float, valid: bool
) -> None:
    rows = frame([(1, "2024-01-01", "2024-01-03", predicted)])
    rows["as_of_close"], rows["actual"], rows["naive"] = [as_of_close], [actual], [naive]
    kept, skipped = valid_rows(scored(rows, 1, 0.001))
    assert (len(kept), len(skipped)) == ((1, 0) if valid else (0, 1))


def frame(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    """(id, requested_at, target_date, predicted) rows; actual 10, naive 9, as_of the day before."""
    return pd.DataFrame(
        [
            {
                "id": row_id,
                "requested_at": pd.Timestamp(requested),
                "as_of": dt.date.fromisoformat(target) - dt.timedelta(days=1),
                "target_date": dt.date.fromisoformat(target),
                "predicted": predicted,
                "as_of_close": None,
                "actual": 10.0,
                "naive": 9.0,
            }
            for row_id, requested, target, predicted in rows
        ]
    )


@pytest.mark.parametrize(
    ("rows", "kept_predictions"),
    [
        ([(1, "2024-01-01 10:00", "2024-01-03", 1.0)], [1.0]),
        # same target date: the later request wins, whatever the insertion order
        (
            [(1, "2024-01-02 10:00", "2024-01-03", 2.0), (2, "2024-01-01", "2024-01-03", 1.0)],
            [2.0],
        ),
        # equal requested_at: the later insert (larger id) wins
        (
            [(1, "2024-01-01 10:00", "2024-01-03", 1.0), (2, "2024-01-01 10:00", "2024-01-03", 3)],
            [3.0],
        ),
        # different target dates are all kept, in date order
        (
            [(1, "2024-01-05", "2024-01-05", 5.0), (2, "2024-01-01", "2024-01-03", 3.0)],
            [3.0, 5.0],
        ),
    ],
)
def test_latest_per_target(
    rows: list[tuple[int, str, str, float]], kept_predictions: list[float]
) -> None:
    assert latest_per_target(frame(rows))["predicted"].tolist() == kept_predictions


def test_last_trading_days_keeps_the_most_recent() -> None:
    rows = [(i, "2024-01-01", f"2024-02-{i:02d}", float(i)) for i in range(1, 11)]
    assert last_trading_days(frame(rows), 3)["predicted"].tolist() == [8.0, 9.0, 10.0]


def test_summary_uses_the_same_rows_for_model_and_baselines() -> None:
    rows = frame([(1, "2024-01-01", "2024-01-03", 12.0), (2, "2024-01-01", "2024-01-04", 9.0)])
    rate = math.log(10 / 9)  # the drift forecast is then exactly the actual close, 10
    summary = summarise(scored(rows, 1, rate), mase_scale=0.5)
    assert summary.n == 2
    assert summary.model.mae == pytest.approx((2.0 + 1.0) / 2)
    assert summary.naive.mae == pytest.approx(1.0)
    assert summary.drift.mae == pytest.approx(0.0)
    assert summary.rel_mae == pytest.approx(1.5)
    assert summary.mase == pytest.approx(1.5 / 0.5)
    assert (summary.start, summary.end) == (dt.date(2024, 1, 3), dt.date(2024, 1, 4))


def test_summary_without_a_scale_or_rate() -> None:
    rows = frame([(1, "2024-01-01", "2024-01-03", 12.0)])
    summary = summarise(scored(rows, 1, None), mase_scale=None)
    assert summary.rel_mae == pytest.approx(2.0)
    assert summary.mase is None
    assert (summary.drift.mae, summary.drift.mse) == (None, None)


def test_daily_quality_rolling_figures() -> None:
    predicted = [11.0, 8.0, 10.5, 13.0]
    rows = frame(
        [(i, "2024-01-01", f"2024-01-{i + 2:02d}", p) for i, p in enumerate(predicted, start=1)]
    )
    daily = daily_quality(scored(rows, 1, 0.0), rolling_window=2, mase_scale=2.0)
    errors = [abs(p - 10.0) for p in predicted]
    assert daily["abs_error"].tolist() == pytest.approx(errors)
    assert daily["naive_abs_error"].tolist() == pytest.approx([1.0] * 4)
    expected_mae = [errors[0], *[(errors[i - 1] + errors[i]) / 2 for i in range(1, 4)]]
    assert daily["rolling_mae"].tolist() == pytest.approx(expected_mae)
    expected_rmse = [errors[0]] + [
        math.sqrt((errors[i - 1] ** 2 + errors[i] ** 2) / 2) for i in range(1, 4)
    ]
    assert daily["rolling_rmse"].tolist() == pytest.approx(expected_rmse)
    assert daily["rolling_rel_mae"].tolist() == pytest.approx(expected_mae)  # naive MAE is 1
    assert daily["rolling_mase"].tolist() == pytest.approx([mae / 2.0 for mae in expected_mae])
    # rate 0: the drift forecast is the naive one
    assert daily["drift_forecast"].tolist() == pytest.approx([9.0] * 4)
    assert daily["rolling_drift_forecast_mae"].tolist() == pytest.approx([1.0] * 4)
    assert daily["rolling_n"].tolist() == [1, 2, 2, 2]
