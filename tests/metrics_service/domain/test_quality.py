"""Error metrics, MASE, the one-prediction-per-target-date rule and rolling figures, each
checked against a computation written out independently here."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from metrics_service.domain.quality import (
    daily_quality,
    error_metrics,
    last_trading_days,
    latest_per_target,
    mase,
    summarise,
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
def test_mase(model_mae: float | None, naive_mae: float | None, expected: float | None) -> None:
    assert mase(model_mae, naive_mae) == expected


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


def test_summary_uses_the_same_rows_for_model_and_naive() -> None:
    rows = frame([(1, "2024-01-01", "2024-01-03", 12.0), (2, "2024-01-01", "2024-01-04", 9.0)])
    summary = summarise(rows)
    assert summary.n == 2
    assert summary.model.mae == pytest.approx((2.0 + 1.0) / 2)
    assert summary.naive.mae == pytest.approx(1.0)
    assert summary.mase == pytest.approx(1.5)
    assert (summary.start, summary.end) == (dt.date(2024, 1, 3), dt.date(2024, 1, 4))


def test_daily_quality_rolling_figures() -> None:
    predicted = [11.0, 8.0, 10.5, 13.0]
    rows = frame(
        [(i, "2024-01-01", f"2024-01-{i + 2:02d}", p) for i, p in enumerate(predicted, start=1)]
    )
    daily = daily_quality(rows, rolling_window=2)
    errors = [abs(p - 10.0) for p in predicted]
    assert daily["abs_error"].tolist() == pytest.approx(errors)
    assert daily["naive_abs_error"].tolist() == pytest.approx([1.0] * 4)
    expected_mae = [errors[0], *[(errors[i - 1] + errors[i]) / 2 for i in range(1, 4)]]
    assert daily["rolling_mae"].tolist() == pytest.approx(expected_mae)
    expected_rmse = [errors[0]] + [
        math.sqrt((errors[i - 1] ** 2 + errors[i] ** 2) / 2) for i in range(1, 4)
    ]
    assert daily["rolling_rmse"].tolist() == pytest.approx(expected_rmse)
    assert daily["rolling_mase"].tolist() == pytest.approx(expected_mae)  # naive MAE is 1
    assert daily["rolling_n"].tolist() == [1, 2, 2, 2]
