"""The /metrics/history use case on both backends: per-day errors and rolling figures (model,
naive, drift forecast, rel_mae, MASE), per-day drift, the default range and the range and
budget checks, the in-sample split and rows holding non-finite values."""

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats
from sqlalchemy import Engine

from metrics_service.domain.drift import DriftRule
from metrics_service.usecases.history import History, build_history_report
from stock_db.rules import InvalidField
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
    # out of sample: as_of after train_end (DAYS[79])
    insert_predictions(
        engine, [prediction_row(DAYS[i - 1], DAYS[i], forecast(i)) for i in range(81, 120)]
    )
    return engine


def history(
    engine: Engine,
    start: dt.date | None = None,
    end: dt.date | None = None,
    rolling_window: int = 20,
    drift_window: int = 60,
    horizon: int = 1,
) -> History:
    with engine.connect() as connection:
        return build_history_report(
            connection, DriftRule(), "MSFT", horizon, start, end, rolling_window, drift_window
        )


TRAIN = CLOSES[:80]  # the champion's training window: DAYS[0..79]
SCALE = float(np.mean(np.abs(np.diff(TRAIN))))
RATE = float(np.mean(np.diff(np.log(TRAIN))))


def test_daily_quality_and_rolling(populated: Engine) -> None:
    quality = history(populated, DAYS[100], DAYS[109], rolling_window=5).quality
    assert [row.date for row in quality] == DAYS[100:110]
    errors = {i: abs(forecast(i) - CLOSES[i]) for i in range(81, 120)}
    naive = {i: abs(CLOSES[i - 1] - CLOSES[i]) for i in range(81, 120)}
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
        assert row.rolling_rel_mae == pytest.approx(
            np.mean([errors[i] for i in window]) / np.mean([naive[i] for i in window])
        )
        assert row.rolling_mase == pytest.approx(np.mean([errors[i] for i in window]) / SCALE)
        drift_forecast = CLOSES[index - 1] * math.exp(RATE)
        assert row.drift_forecast == pytest.approx(drift_forecast)
        assert row.drift_forecast_abs_error == pytest.approx(abs(drift_forecast - CLOSES[index]))
        assert row.rolling_drift_forecast_mae == pytest.approx(
            np.mean([abs(CLOSES[i - 1] * math.exp(RATE) - CLOSES[i]) for i in window])
        )
        assert row.predicted_logged == row.predicted  # no as_of_close logged: as is


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
    assert len(report.quality) == 39
    assert (report.n_in_sample, report.n_invalid) == (0, 0)
    assert report.reason is None


def test_no_model_gives_a_reason(engine: Engine) -> None:
    insert_prices(engine, DAYS, CLOSES)
    report = history(engine)
    assert report.quality == [] and report.drift == []
    assert report.reason == (
        "no model yet for MSFT: no champion and no logged predictions; "
        "no champion model yet: no training window to compare drift against"
    )


def test_scale_and_rate_of_the_training_window(populated: Engine) -> None:
    report = history(populated, DAYS[100], DAYS[109])
    window = (DAYS[1], DAYS[79], 79)
    assert report.mase_scale.value == pytest.approx(SCALE)
    assert report.drift_rate.value == pytest.approx(RATE)
    for figure in (report.mase_scale, report.drift_rate):
        assert (figure.window.start, figure.window.end, figure.window.n) == window


@pytest.mark.parametrize(
    ("start", "end", "drift_window", "field", "message"),
    [
        ("2023-05-01", "2023-04-01", 60, "start_date", "start_date 2023-05-01 is after end_date"),
        ("2020-01-01", "2023-04-01", 60, "start_date", "range 2020-01-01..2023-04-01 is longer"),
        ("2022-01-01", "2023-04-01", 5000, "drift_window", "drift_window 5000 x 456 days"),
    ],
)
def test_invalid_requests(
    populated: Engine, start: str, end: str, drift_window: int, field: str, message: str
) -> None:
    with pytest.raises(InvalidField) as raised:
        history(
            populated,
            dt.date.fromisoformat(start),
            dt.date.fromisoformat(end),
            drift_window=drift_window,
        )
    assert raised.value.field == field
    assert raised.value.message.startswith(message)


def test_in_sample_forecasts_are_not_counted(engine: Engine) -> None:
    """Forecasts made from inside the training window (as_of <= train_end) are in-sample."""
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[99])
    rows = [prediction_row(DAYS[i - 1], DAYS[i], forecast(i)) for i in range(90, 110)]
    insert_predictions(engine, rows)
    report = history(engine, DAYS[80], DAYS[119], rolling_window=3)
    # as_of DAYS[89..98] are inside (<= DAYS[99]); as_of DAYS[99] is the train_end itself
    assert [row.date for row in report.quality] == DAYS[101:110]
    assert report.n_in_sample == 11
    assert (
        report.reason is not None
        and (
            "11 matured forecasts made inside the training window (as_of <= train_end "
            f"{DAYS[99]}) are in-sample and not counted (n_in_sample)"
        )
        in report.reason
    )
    # the rolling figures do not warm up with in-sample days either
    assert report.quality[0].rolling_n == 1


def test_non_finite_rows_are_skipped_and_counted(engine: Engine) -> None:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[78])
    rows = [prediction_row(DAYS[i - 1], DAYS[i], forecast(i)) for i in range(80, 90)]
    broken = prediction_row(DAYS[89], DAYS[90], 1.0)
    broken |= {"predicted": math.inf, "upper": math.inf}
    insert_predictions(engine, [*rows, broken])
    report = history(engine, DAYS[80], DAYS[95], rolling_window=3)
    assert [row.date for row in report.quality] == DAYS[80:90]
    assert report.n_invalid == 1
    assert report.reason is not None and "1 forecasts holding a non-finite" in report.reason
