"""The /metrics/history use case on both backends: per-day errors and rolling figures, per-day
drift, the default range and the range checks."""

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats
from sqlalchemy import Engine

from metrics_service.domain.drift import DriftRule
from metrics_service.usecases.history import History, InvalidRange, build_history_report
from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    random_walk,
    trading_days,
)

DAYS = trading_days("2023-01-02", 120)
CLOSES = random_walk(120, 0.01, seed=3)


def forecast(index: int) -> float:
    return float(CLOSES[index] + 2 * math.cos(index))


@pytest.fixture
def populated(engine: Engine) -> Engine:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[79])
    insert_predictions(
        engine, [prediction_row(DAYS[i - 1], DAYS[i], forecast(i)) for i in range(80, 120)]
    )
    return engine


def history(
    engine: Engine,
    start: dt.date | None = None,
    end: dt.date | None = None,
    rolling_window: int = 20,
    drift_window: int = 60,
) -> History:
    with engine.connect() as connection:
        return build_history_report(
            connection, DriftRule(), "MSFT", 1, start, end, rolling_window, drift_window
        )


def test_daily_quality_and_rolling(populated: Engine) -> None:
    quality = history(populated, DAYS[100], DAYS[109], rolling_window=5).quality
    assert [row.date for row in quality] == DAYS[100:110]
    errors = {i: abs(forecast(i) - CLOSES[i]) for i in range(80, 120)}
    naive = {i: abs(CLOSES[i - 1] - CLOSES[i]) for i in range(80, 120)}
    for row, index in zip(quality, range(100, 110), strict=True):
        assert row.as_of == DAYS[index - 1]
        assert (row.predicted, row.actual, row.naive) == pytest.approx(
            (forecast(index), CLOSES[index], CLOSES[index - 1])
        )
        assert row.abs_error == pytest.approx(errors[index])
        assert row.naive_abs_error == pytest.approx(naive[index])
        window = range(index - 4, index + 1)  # warmed up with the days before the range
        assert row.rolling_n == 5
        assert row.rolling_mae == pytest.approx(np.mean([errors[i] for i in window]))
        assert row.rolling_rmse == pytest.approx(np.sqrt(np.mean([errors[i] ** 2 for i in window])))
        assert row.rolling_naive_mae == pytest.approx(np.mean([naive[i] for i in window]))
        assert row.rolling_mase == pytest.approx(
            np.mean([errors[i] for i in window]) / np.mean([naive[i] for i in window])
        )


def test_daily_drift(populated: Engine) -> None:
    report = history(populated, DAYS[110], DAYS[119], drift_window=20)
    returns = np.diff(np.log(CLOSES))  # returns[k] is the return of day k + 1
    reference = returns[:79]
    assert report.drift_reference is not None and report.drift_reference.n == 79
    assert report.drift_rule == "KS p-value < 0.05"
    assert len(report.drift) == 10
    for row, day in zip(report.drift, range(110, 120), strict=True):
        assert row.date == DAYS[day]
        current = returns[day - 20 : day]
        ks = stats.ks_2samp(reference, current)
        assert row.current_n == 20
        assert row.method == "ks"
        assert row.statistic == pytest.approx(ks.statistic)
        assert row.p_value == pytest.approx(ks.pvalue)
        assert row.drift_detected is bool(ks.pvalue < 0.05)
        assert row.volume_drift_detected is False  # the same constant volume throughout


def test_defaults_cover_the_last_180_days(populated: Engine) -> None:
    report = history(populated)
    assert report.end_date == DAYS[-1]
    assert report.start_date == DAYS[-1] - dt.timedelta(days=180)
    assert (report.rolling_window, report.drift_window) == (20, 60)
    assert len(report.quality) == 40
    assert report.reason is None


def test_no_model_gives_a_reason(engine: Engine) -> None:
    insert_prices(engine, DAYS, CLOSES)
    report = history(engine)
    assert report.quality == [] and report.drift == []
    assert report.reason == (
        "no model yet for MSFT: no champion and no logged predictions; "
        "no champion model yet: no training window to compare drift against"
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2023-05-01", "2023-04-01", "start_date 2023-05-01 is after end_date 2023-04-01"),
        ("2020-01-01", "2023-04-01", "range 2020-01-01..2023-04-01 is longer than 731 days"),
    ],
)
def test_invalid_ranges(populated: Engine, start: str, end: str, message: str) -> None:
    with pytest.raises(InvalidRange) as raised:
        history(populated, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert str(raised.value) == message
