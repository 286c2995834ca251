"""GET /metrics on both backends: rows inserted directly, every figure recomputed here with
numpy/scipy from the same known data, plus the null-with-reason and error cases."""

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy import stats
from sqlalchemy import Engine

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
TRAIN_END_INDEX = 199
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
ClientFactory = Callable[..., TestClient]


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


def expected_quality(window: int) -> dict[str, float]:
    targets = np.arange(300 - window, 300)
    actual = CLOSES[targets]
    predicted = np.array([model_forecast(int(i)) for i in targets])
    naive = CLOSES[targets - 1]
    mae = np.mean(np.abs(predicted - actual))
    naive_mae = np.mean(np.abs(naive - actual))
    return {
        "mse": np.mean((predicted - actual) ** 2),
        "rmse": np.sqrt(np.mean((predicted - actual) ** 2)),
        "mae": mae,
        "mape": 100 * np.mean(np.abs(predicted - actual) / actual),
        "mase": mae / naive_mae,
        "naive_mse": np.mean((naive - actual) ** 2),
        "naive_mae": naive_mae,
        "naive_mape": 100 * np.mean(np.abs(naive - actual) / actual),
    }


@pytest.mark.parametrize("window", [60, 10, 500])
def test_quality_matches_independent_computation(
    populated: Engine, make_client: ClientFactory, window: int
) -> None:
    body = make_client().get("/metrics", params={"ticker": "msft", "window": window}).json()
    matured = min(window, 100)
    expected = expected_quality(matured)
    assert body["ticker"] == "MSFT"
    assert body["model_version"] == 2
    assert body["n"] == matured
    assert body["start"] == DAYS[300 - matured].isoformat()
    assert body["end"] == DAYS[-1].isoformat()
    for key in ("mse", "rmse", "mae", "mape", "mase"):
        assert body[key] == pytest.approx(expected[key]), key
    assert body["naive"]["mse"] == pytest.approx(expected["naive_mse"])
    assert body["naive"]["mae"] == pytest.approx(expected["naive_mae"])
    assert body["naive"]["mape"] == pytest.approx(expected["naive_mape"])
    assert body["reason"] is None


def test_other_horizon(populated: Engine, make_client: ClientFactory) -> None:
    body = make_client().get("/metrics", params={"ticker": "MSFT", "horizon": 5}).json()
    targets = np.arange(240, 300)
    actual, naive = CLOSES[targets], CLOSES[targets - 5]
    assert body["n"] == 60
    assert body["mae"] == pytest.approx(np.mean(np.abs(50.0 - actual)))
    assert body["naive"]["mae"] == pytest.approx(np.mean(np.abs(naive - actual)))


def test_offline_metrics_are_the_champions_labelled(
    populated: Engine, make_client: ClientFactory
) -> None:
    offline = make_client().get("/metrics", params={"ticker": "MSFT"}).json()["offline"]
    assert offline["model_version"] == 2
    assert "offline" in offline["label"]
    assert offline["lstm"] == {"mae": 1.2, "mase": 0.98}
    assert offline["coverage"] == 0.9
    assert offline["eval_start"] == "2023-07-01"


def test_drift_against_the_training_window(populated: Engine, make_client: ClientFactory) -> None:
    drift = make_client().get("/metrics", params={"ticker": "MSFT"}).json()["data_drift"]
    log_closes = np.log(CLOSES)
    reference = np.diff(log_closes[: TRAIN_END_INDEX + 1])
    current = np.diff(log_closes[-61:])
    ks = stats.ks_2samp(reference, current)
    assert drift["signal"] == "daily log returns"
    assert drift["method"] == "ks"  # 199 reference rows <= 1000
    assert drift["statistic"] == pytest.approx(ks.statistic)
    assert drift["p_value"] == pytest.approx(ks.pvalue)
    assert drift["threshold"] == 0.05
    assert drift["drift_detected"] is bool(ks.pvalue < 0.05)
    expected_w = stats.wasserstein_distance(reference, current) / np.std(reference)
    assert drift["wasserstein"] == pytest.approx(expected_w)
    assert drift["psi"] >= 0
    assert drift["reference"] == {
        "start": DAYS[1].isoformat(),
        "end": DAYS[TRAIN_END_INDEX].isoformat(),
        "n": TRAIN_END_INDEX,
    }
    assert drift["current"] == {
        "start": DAYS[240].isoformat(),
        "end": DAYS[-1].isoformat(),
        "n": 60,
    }
    volume_ks = stats.ks_2samp(VOLUMES[1 : TRAIN_END_INDEX + 1], VOLUMES[-60:])
    assert drift["volume"]["p_value"] == pytest.approx(volume_ks.pvalue)
    assert drift["thresholds"] == {"ks_p_value": 0.05, "wasserstein": 0.1, "psi": 0.2}
    assert "KS p-value < 0.05" in drift["rule"]


def test_drift_detected_for_triple_volatility(engine: Engine, make_client: ClientFactory) -> None:
    calm = random_walk(250, 0.01, seed=1)
    wild = calm[-1] * np.exp(np.cumsum(np.random.default_rng(2).normal(0, 0.03, 60)))
    days = trading_days("2022-01-03", 310)
    insert_prices(engine, days, np.concatenate([calm, wild]))
    insert_model(engine, 1, days[0], days[249])
    drift = make_client().get("/metrics", params={"ticker": "MSFT"}).json()["data_drift"]
    assert drift["drift_detected"] is True


def test_drift_rule_is_configurable(populated: Engine, make_client: ClientFactory) -> None:
    client = make_client(drift_method="psi", drift_psi_threshold=0.01)
    drift = client.get("/metrics", params={"ticker": "MSFT"}).json()["data_drift"]
    assert drift["method"] == "psi"
    assert drift["threshold"] == 0.01
    assert drift["statistic"] == drift["psi"]


def test_latest_predicted_version_without_champion(
    engine: Engine, make_client: ClientFactory
) -> None:
    insert_prices(engine, DAYS[:10], CLOSES[:10])
    insert_predictions(engine, [prediction_row(DAYS[3], DAYS[4], CLOSES[4] + 1, version=7)])
    body = make_client().get("/metrics", params={"ticker": "MSFT"}).json()
    assert body["model_version"] == 7
    assert body["n"] == 1
    assert body["mae"] == pytest.approx(1.0)
    assert body["offline"] is None
    assert body["data_drift"]["drift_detected"] is None
    assert "no champion" in body["data_drift"]["reason"]


def test_no_model_yet_is_200_with_reason(engine: Engine, make_client: ClientFactory) -> None:
    insert_prices(engine, DAYS[:10], CLOSES[:10])
    response = make_client().get("/metrics", params={"ticker": "MSFT"})
    assert response.status_code == 200
    body = response.json()
    assert body["model_version"] is None
    assert body["n"] == 0
    assert body["mse"] is None and body["mase"] is None and body["naive"]["mae"] is None
    assert "no model yet" in body["reason"]


def test_no_matured_predictions_is_200_with_reason(
    engine: Engine, make_client: ClientFactory
) -> None:
    insert_prices(engine, DAYS[:30], CLOSES[:30])
    insert_model(engine, 1, DAYS[0], DAYS[20])
    future = DAYS[29] + dt.timedelta(days=3)
    insert_predictions(engine, [prediction_row(DAYS[29], future, 100.0)])
    body = make_client().get("/metrics", params={"ticker": "MSFT"}).json()
    assert body["model_version"] == 1
    assert body["n"] == 0 and body["mae"] is None
    assert "no matured predictions" in body["reason"]
    assert body["data_drift"]["statistic"] is not None  # drift does not need predictions


def test_flat_prices_give_nulls_not_nan(engine: Engine, make_client: ClientFactory) -> None:
    insert_prices(engine, DAYS[:40], [100.0] * 40)
    insert_model(engine, 1, DAYS[0], DAYS[20])
    insert_predictions(engine, [prediction_row(DAYS[i - 1], DAYS[i], 101.0) for i in range(30, 40)])
    response = make_client().get("/metrics", params={"ticker": "MSFT"})
    assert response.status_code == 200
    assert "NaN" not in response.text and "Infinity" not in response.text
    body = response.json()
    assert body["mae"] == pytest.approx(1.0)
    assert body["naive"]["mae"] == 0.0
    assert body["mase"] is None  # naive MAE of zero: undefined, not infinite


def test_unknown_ticker_is_404(populated: Engine, make_client: ClientFactory) -> None:
    response = make_client().get("/metrics", params={"ticker": "NOPE"})
    assert response.status_code == 404
    assert "NOPE" in response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ticker": "MS FT"},
        {"ticker": "MSFT", "horizon": 0},
        {"ticker": "MSFT", "horizon": "x"},
        {"ticker": "MSFT", "window": 0},
        {"ticker": "MSFT", "drift_window": 2},
        {"ticker": "MSFT", "inference_window": "5 minutes"},
        {"ticker": "MSFT", "inference_window": "5m]) or vector(1"},
    ],
)
def test_bad_parameters_are_422(
    populated: Engine, make_client: ClientFactory, params: dict[str, object]
) -> None:
    assert make_client().get("/metrics", params=params).status_code == 422


def test_latency_sources_down_gives_null_with_reason(
    populated: Engine, make_client: ClientFactory
) -> None:
    inference = make_client().get("/metrics", params={"ticker": "MSFT"}).json()["inference"]
    assert inference["avg_seconds"] is None and inference["p95_seconds"] is None
    assert inference["source"] is None
    assert "prometheus" in inference["reason"] and "estimator" in inference["reason"]


def test_health(populated: Engine, make_client: ClientFactory) -> None:
    assert make_client().get("/health").json() == {"status": "ok", "database": "up"}
