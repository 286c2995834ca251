"""Live figures on both backends: only out-of-sample forecasts count (as_of after the
champion's train_end; the others are n_in_sample), and a forecast logged with the close it
started from (as_of_close) is scored in today's price basis, so a later re-adjustment of the
history (dividends) moves it exactly as it moves the naive forecast."""

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest
from sqlalchemy import Engine

from metrics_service.config import Settings
from metrics_service.domain.drift import DriftRule
from metrics_service.usecases.history import History, build_history_report
from metrics_service.usecases.report import Report, build_metrics_report
from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    random_walk,
    trading_days,
)

DAYS = trading_days("2023-01-02", 100)
CLOSES = random_walk(100, 0.01, seed=21)  # the history as it reads now
TRAIN_END = 59
READJUSTED = 1.02  # when the forecasts were made, every close read 2 % higher


def metrics(engine: Engine, settings: Settings, window: int = 60) -> Report:
    with engine.connect() as connection:
        return build_metrics_report(connection, settings, "MSFT", 1, window, 60, "5m")


def history(engine: Engine, start: dt.date, end: dt.date) -> History:
    with engine.connect() as connection:
        return build_history_report(connection, DriftRule(), "MSFT", 1, start, end, 5, 20)


@pytest.fixture
def in_and_out_of_sample(engine: Engine) -> Engine:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[TRAIN_END])
    rows = [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 5.0) for i in range(40, 61)]
    rows += [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 1.0) for i in range(61, 100)]
    insert_predictions(engine, rows)
    return engine


def test_only_out_of_sample_forecasts_count(
    in_and_out_of_sample: Engine, make_settings: Callable[..., Settings]
) -> None:
    report = metrics(in_and_out_of_sample, make_settings(), window=500)
    # as_of DAYS[39..59] are on or before train_end: 21 in-sample target dates
    assert (report.n, report.n_in_sample, report.start) == (39, 21, DAYS[61])
    assert report.mae == pytest.approx(1.0)  # the in-sample +5.0 errors are not in it
    assert report.reason == (
        "21 matured forecasts made inside the training window (as_of <= train_end "
        f"{DAYS[TRAIN_END]}) are in-sample and not counted (n_in_sample)"
    )


def test_history_splits_the_same_way(in_and_out_of_sample: Engine) -> None:
    report = history(in_and_out_of_sample, DAYS[50], DAYS[70])
    assert [row.date for row in report.quality] == DAYS[61:71]
    assert report.n_in_sample == 11  # target dates DAYS[50..60]
    assert [row.abs_error for row in report.quality] == pytest.approx([1.0] * 10)


def test_only_in_sample_forecasts_give_a_reason(
    engine: Engine, make_settings: Callable[..., Settings]
) -> None:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[TRAIN_END])
    insert_predictions(engine, [prediction_row(DAYS[i - 1], DAYS[i], 1.0) for i in range(40, 60)])
    report = metrics(engine, make_settings())
    assert (report.n, report.n_in_sample, report.mae) == (0, 20, None)
    assert report.reason is not None
    assert report.reason.startswith(
        f"no matured out-of-sample predictions (as_of after train_end {DAYS[TRAIN_END]})"
    )


@pytest.fixture
def logged_with_as_of_close(engine: Engine) -> Engine:
    """Forecasts made when every close read 2 % higher: each is the then-close of its target
    plus 0.3 (in the then-basis); rows from before as_of_close existed have none."""
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[TRAIN_END])
    rows = [
        prediction_row(
            DAYS[i - 1],
            DAYS[i],
            (CLOSES[i] + 0.3) * READJUSTED,
            as_of_close=CLOSES[i - 1] * READJUSTED,
        )
        for i in range(70, 100)
    ]
    insert_predictions(engine, rows)
    old = [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 0.7) for i in range(61, 70)]
    insert_predictions(engine, old)
    return engine


def test_forecasts_are_scored_in_todays_price_basis(
    logged_with_as_of_close: Engine, make_settings: Callable[..., Settings]
) -> None:
    report = metrics(logged_with_as_of_close, make_settings(), window=30)
    assert report.n == 30
    # rebased: predicted / as_of_close x the as_of close now = (CLOSES[i] + 0.3)...
    expected = [
        (CLOSES[i] + 0.3) * READJUSTED / (CLOSES[i - 1] * READJUSTED) * CLOSES[i - 1]
        for i in range(70, 100)
    ]
    assert report.mae == pytest.approx(float(np.mean(np.abs(np.array(expected) - CLOSES[70:]))))
    assert report.mae == pytest.approx(0.3)  # ...not 2 % of a ~100 close off


def test_history_shows_the_rebased_and_the_logged_forecast(
    logged_with_as_of_close: Engine,
) -> None:
    rows = history(logged_with_as_of_close, DAYS[65], DAYS[75]).quality
    by_date = {row.date: row for row in rows}
    old, new = by_date[DAYS[65]], by_date[DAYS[75]]
    assert old.predicted == old.predicted_logged == pytest.approx(CLOSES[65] + 0.7)
    assert new.predicted_logged == pytest.approx((CLOSES[75] + 0.3) * READJUSTED)
    assert new.predicted == pytest.approx(CLOSES[75] + 0.3)
    assert new.abs_error == pytest.approx(0.3)
