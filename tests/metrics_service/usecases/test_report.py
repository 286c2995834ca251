"""The /metrics report on both backends: rows inserted directly, every figure recomputed here
with numpy/scipy from the same known data, plus the null-with-reason cases."""

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats
from sqlalchemy import Engine

from metrics_service.adapters.database import ChampionRow
from metrics_service.config import Settings
from metrics_service.domain.drift import population_stability_index
from metrics_service.usecases.report import Report, build_metrics_report, offline_evaluation
from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    random_walk,
    trading_days,
)

DAYS = trading_days("2023-01-02", 300)
CLOSES = random_walk(300, 0.012, seed=7)
VOLUMES = np.random.default_rng(8).integers(1_000_000, 5_000_000, 300)
TRAIN_END_INDEX = 198  # forecasts from as_of DAYS[199] on are out of sample
OFFLINE = {
    "eval_start": "2023-07-01",
    "eval_end": "2023-09-29",
    "n_eval_days": 60,
    "horizons": {
        "1": {"lstm": {"mae": 1.2, "mase": 0.98}, "naive": {"mae": 1.22}, "coverage": 0.9}
    },
    "input_length": 20,
    "max_horizon": 5,
}
SettingsFactory = Callable[..., Settings]


def model_forecast(index: int) -> float:
    """A deterministic "model": the next close plus a known error."""
    return float(CLOSES[index] + math.sin(index))


@pytest.fixture
def populated(engine: Engine) -> Engine:
    insert_prices(engine, DAYS, CLOSES, VOLUMES)
    insert_model(engine, 1, DAYS[0], DAYS[150], status="retired")
    insert_model(engine, 2, DAYS[0], DAYS[TRAIN_END_INDEX], metrics=OFFLINE)
    early = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    late = dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
    rows = []
    for index in range(200, 300):  # target index; as_of the day before
        rows.append(prediction_row(DAYS[index - 1], DAYS[index], model_forecast(index), 2, 1, late))
        # an earlier request for the same day (superseded), and the retired version's forecast
        rows.append(prediction_row(DAYS[index - 1], DAYS[index], 1.0, 2, 1, early))
        rows.append(prediction_row(DAYS[index - 1], DAYS[index], 999.0, 1, 1, late))
        rows.append(prediction_row(DAYS[index - 5], DAYS[index], 50.0, 2, 5, late))
    # not matured yet: the target day has no close
    rows.append(prediction_row(DAYS[-1], DAYS[-1] + dt.timedelta(days=3), 1.0, 2, 1, late))
    insert_predictions(engine, rows)
    return engine


def report(
    engine: Engine,
    settings: Settings,
    horizon: int = 1,
    window: int = 60,
    drift_window: int = 60,
) -> Report:
    with engine.connect() as connection:
        return build_metrics_report(
            connection, settings, "MSFT", horizon, window, drift_window, inference_window="5m"
        )


TRAIN = CLOSES[: TRAIN_END_INDEX + 1]
SCALE = float(np.mean(np.abs(np.diff(TRAIN))))  # Hyndman: in-sample one-step naive MAE
RATE = float(np.mean(np.diff(np.log(TRAIN))))  # the drift forecast's daily rate


def expected_quality(window: int) -> dict[str, float]:
    targets = np.arange(300 - window, 300)
    actual = CLOSES[targets]
    predicted = np.array([model_forecast(int(i)) for i in targets])
    naive = CLOSES[targets - 1]
    drift = naive * np.exp(RATE)
    mae = np.mean(np.abs(predicted - actual))
    naive_mae = np.mean(np.abs(naive - actual))
    return {
        "rel_mae": mae / naive_mae,
        "mase": mae / SCALE,
        "drift_mse": np.mean((drift - actual) ** 2),
        "drift_rmse": np.sqrt(np.mean((drift - actual) ** 2)),
        "drift_mae": np.mean(np.abs(drift - actual)),
        "drift_mape": 100 * np.mean(np.abs(drift - actual) / actual),
        "mse": np.mean((predicted - actual) ** 2),
        "rmse": np.sqrt(np.mean((predicted - actual) ** 2)),
        "mae": mae,
        "mape": 100 * np.mean(np.abs(predicted - actual) / actual),
        "naive_mse": np.mean((naive - actual) ** 2),
        "naive_mae": naive_mae,
        "naive_mape": 100 * np.mean(np.abs(naive - actual) / actual),
    }


@pytest.mark.parametrize("window", [60, 10, 500])
def test_quality_matches_independent_computation(
    populated: Engine, make_settings: SettingsFactory, window: int
) -> None:
    result = report(populated, make_settings(), window=window)
    matured = min(window, 100)
    expected = expected_quality(matured)
    assert result.ticker == "MSFT"
    assert result.model_version == 2
    assert result.n == matured
    assert result.start == DAYS[300 - matured]
    assert result.end == DAYS[-1]
    for key in ("mse", "rmse", "mae", "mape", "rel_mae", "mase"):
        assert getattr(result, key) == pytest.approx(expected[key]), key
    for key in ("mse", "rmse", "mae", "mape"):
        assert getattr(result.drift, key) == pytest.approx(expected[f"drift_{key}"]), key
    assert result.mase_scale.value == pytest.approx(SCALE)
    assert result.drift_rate.value == pytest.approx(RATE)
    span = (DAYS[1], DAYS[TRAIN_END_INDEX], TRAIN_END_INDEX)
    for figure in (result.mase_scale, result.drift_rate):
        assert (figure.window.start, figure.window.end, figure.window.n) == span
    assert (result.n_in_sample, result.n_invalid) == (0, 0)
    assert result.naive.mse == pytest.approx(expected["naive_mse"])
    assert result.naive.mae == pytest.approx(expected["naive_mae"])
    assert result.naive.mape == pytest.approx(expected["naive_mape"])
    assert result.reason is None


def test_other_horizon(populated: Engine, make_settings: SettingsFactory) -> None:
    result = report(populated, make_settings(), horizon=5)
    targets = np.arange(240, 300)
    actual, naive = CLOSES[targets], CLOSES[targets - 5]
    assert result.n == 60
    assert result.mae == pytest.approx(np.mean(np.abs(50.0 - actual)))
    assert result.naive.mae == pytest.approx(np.mean(np.abs(naive - actual)))


def test_offline_metrics_are_the_champions(
    populated: Engine, make_settings: SettingsFactory
) -> None:
    offline = report(populated, make_settings()).offline
    assert offline is not None
    assert offline.model_version == 2
    assert offline.lstm == {"mae": 1.2, "mase": 0.98}
    assert offline.naive == {"mae": 1.22}
    assert offline.coverage == 0.9
    assert (offline.eval_start, offline.eval_end, offline.n_eval_days) == (
        "2023-07-01",
        "2023-09-29",
        60,
    )


def test_drift_against_the_training_window(
    populated: Engine, make_settings: SettingsFactory
) -> None:
    drift = report(populated, make_settings()).data_drift
    log_closes = np.log(CLOSES)
    reference = np.diff(log_closes[: TRAIN_END_INDEX + 1])
    current = np.diff(log_closes[-61:])
    ks = stats.ks_2samp(reference, current)
    assert drift.signal == "daily log returns"
    assert drift.method == "ks"  # 198 reference rows <= 1000
    assert drift.statistic == pytest.approx(ks.statistic)
    assert drift.p_value == pytest.approx(ks.pvalue)
    assert drift.threshold == 0.05
    assert drift.drift_detected is bool(ks.pvalue < 0.05)
    expected_w = stats.wasserstein_distance(reference, current) / np.std(reference)
    assert drift.wasserstein == pytest.approx(expected_w)
    # the domain's PSI, itself checked against a hand computation in tests/.../domain
    assert drift.psi == pytest.approx(population_stability_index(reference, current, 10))
    assert (drift.reference.start, drift.reference.end, drift.reference.n) == (
        DAYS[1],
        DAYS[TRAIN_END_INDEX],
        TRAIN_END_INDEX,
    )
    assert (drift.current.start, drift.current.end, drift.current.n) == (DAYS[240], DAYS[-1], 60)
    volume_ks = stats.ks_2samp(VOLUMES[1 : TRAIN_END_INDEX + 1], VOLUMES[-60:])
    assert drift.volume is not None
    assert drift.volume.signal == "daily volume"
    assert drift.volume.p_value == pytest.approx(volume_ks.pvalue)
    assert drift.thresholds == {"ks_p_value": 0.05, "wasserstein": 0.1, "psi": 0.2}
    assert drift.rule == "KS p-value < 0.05"


def test_drift_detected_for_triple_volatility(
    engine: Engine, make_settings: SettingsFactory
) -> None:
    calm = random_walk(250, 0.01, seed=1)
    wild = calm[-1] * np.exp(np.cumsum(np.random.default_rng(2).normal(0, 0.03, 60)))
    days = trading_days("2022-01-03", 310)
    insert_prices(engine, days, np.concatenate([calm, wild]))
    insert_model(engine, 1, days[0], days[249])
    assert report(engine, make_settings()).data_drift.drift_detected is True


def test_drift_rule_is_configurable(populated: Engine, make_settings: SettingsFactory) -> None:
    settings = make_settings(drift_method="psi", drift_psi_threshold=0.01)
    drift = report(populated, settings).data_drift
    assert drift.method == "psi"
    assert drift.threshold == 0.01
    assert drift.statistic == drift.psi
    assert drift.rule == "PSI >= 0.01"


def test_latest_predicted_version_without_champion(
    engine: Engine, make_settings: SettingsFactory
) -> None:
    insert_prices(engine, DAYS[:10], CLOSES[:10])
    insert_predictions(engine, [prediction_row(DAYS[3], DAYS[4], CLOSES[4] + 1, version=7)])
    result = report(engine, make_settings())
    assert result.model_version == 7
    assert result.n == 1
    assert result.mae == pytest.approx(1.0)
    assert result.rel_mae is not None
    assert result.mase is None and result.mase_scale.value is None
    assert result.mase_scale.reason == "no champion model row: no training window"
    assert result.drift.mae is None and result.drift_rate.value is None
    assert result.reason is not None and "train_end is unknown" in result.reason
    assert result.offline is None
    assert result.data_drift.drift_detected is None
    assert result.data_drift.reason == (
        "no champion model yet: no training window to compare against"
    )


def test_no_model_yet_gives_a_reason(engine: Engine, make_settings: SettingsFactory) -> None:
    insert_prices(engine, DAYS[:10], CLOSES[:10])
    result = report(engine, make_settings())
    assert result.model_version is None
    assert result.n == 0
    assert result.mse is None and result.mase is None and result.naive.mae is None
    assert result.rel_mae is None and result.drift.mae is None
    assert result.reason == "no model yet for MSFT: no champion and no logged predictions"


def test_no_matured_predictions_gives_a_reason(
    engine: Engine, make_settings: SettingsFactory
) -> None:
    insert_prices(engine, DAYS[:30], CLOSES[:30])
    insert_model(engine, 1, DAYS[0], DAYS[20])
    future = DAYS[29] + dt.timedelta(days=3)
    insert_predictions(engine, [prediction_row(DAYS[29], future, 100.0)])
    result = report(engine, make_settings())
    assert result.model_version == 1
    assert result.n == 0 and result.mae is None
    assert result.reason is not None and result.reason.startswith(
        f"no matured out-of-sample predictions (as_of after train_end {DAYS[20]}) for MSFT "
        "horizon 1 from model version 1"
    )
    # drift does not need predictions: the training window (20 returns) against the last 29
    returns = np.diff(np.log(CLOSES[:30]))
    expected = stats.ks_2samp(returns[:20], returns)
    assert result.data_drift.statistic == pytest.approx(expected.statistic)


def test_flat_prices_give_nulls_not_nan(engine: Engine, make_settings: SettingsFactory) -> None:
    insert_prices(engine, DAYS[:40], [100.0] * 40)
    insert_model(engine, 1, DAYS[0], DAYS[20])
    insert_predictions(engine, [prediction_row(DAYS[i - 1], DAYS[i], 101.0) for i in range(30, 40)])
    result = report(engine, make_settings())
    assert result.mae == pytest.approx(1.0)
    assert result.naive.mae == 0.0
    assert result.rel_mae is None  # naive MAE of zero: undefined, not infinite
    assert result.mase_scale.value == 0.0 and result.mase is None  # a flat training window
    assert result.drift.mae == pytest.approx(0.0)  # a zero drift rate: the naive forecast


def test_non_finite_offline_figures_become_none() -> None:
    metrics = {"horizons": {"1": {"lstm": {"mae": math.nan, "rmse": 1.5}, "coverage": math.inf}}}
    champion = ChampionRow("lstm-MSFT", 4, DAYS[0], DAYS[9], metrics)
    offline = offline_evaluation(champion, 1)
    assert offline is not None
    assert offline.lstm == {"mae": None, "rmse": 1.5}
    assert offline.coverage is None
    other_horizon = offline_evaluation(champion, 5)
    assert other_horizon is not None
    assert (other_horizon.lstm, other_horizon.coverage) == (None, None)
