"""GET /metrics/history: per-day errors and rolling figures, per-day drift, range checks."""

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

DAYS = trading_days("2023-01-02", 120)
CLOSES = random_walk(120, 0.01, seed=3)
ClientFactory = Callable[..., TestClient]


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


def test_daily_quality_and_rolling(populated: Engine, make_client: ClientFactory) -> None:
    params = {
        "ticker": "MSFT",
        "start_date": DAYS[100].isoformat(),
        "end_date": DAYS[109].isoformat(),
        "rolling_window": 5,
    }
    body = make_client().get("/metrics/history", params=params).json()
    quality = body["quality"]
    assert [row["date"] for row in quality] == [day.isoformat() for day in DAYS[100:110]]
    errors = {i: abs(forecast(i) - CLOSES[i]) for i in range(80, 120)}
    naive = {i: abs(CLOSES[i - 1] - CLOSES[i]) for i in range(80, 120)}
    for row, index in zip(quality, range(100, 110), strict=True):
        assert row["abs_error"] == pytest.approx(errors[index])
        assert row["naive_abs_error"] == pytest.approx(naive[index])
        window = range(index - 4, index + 1)  # warmed up with the days before the range
        assert row["rolling_n"] == 5
        assert row["rolling_mae"] == pytest.approx(np.mean([errors[i] for i in window]))
        assert row["rolling_mase"] == pytest.approx(
            np.mean([errors[i] for i in window]) / np.mean([naive[i] for i in window])
        )


def test_daily_drift(populated: Engine, make_client: ClientFactory) -> None:
    params = {
        "ticker": "MSFT",
        "start_date": DAYS[110].isoformat(),
        "end_date": DAYS[119].isoformat(),
        "drift_window": 20,
    }
    body = make_client().get("/metrics/history", params=params).json()
    returns = np.diff(np.log(CLOSES))  # returns[k] is the return of day k + 1
    reference = returns[:79]
    assert body["drift_reference"]["n"] == 79
    assert len(body["drift"]) == 10
    for row, day in zip(body["drift"], range(110, 120), strict=True):
        assert row["date"] == DAYS[day].isoformat()
        current = returns[day - 20 : day]
        ks = stats.ks_2samp(reference, current)
        assert row["current_n"] == 20
        assert row["statistic"] == pytest.approx(ks.statistic)
        assert row["p_value"] == pytest.approx(ks.pvalue)
        assert row["drift_detected"] is bool(ks.pvalue < 0.05)


def test_defaults_cover_the_last_180_days(populated: Engine, make_client: ClientFactory) -> None:
    body = make_client().get("/metrics/history", params={"ticker": "MSFT"}).json()
    assert body["end_date"] == DAYS[-1].isoformat()
    assert len(body["quality"]) == 40
    assert body["reason"] is None


def test_no_model_is_200_with_reason(engine: Engine, make_client: ClientFactory) -> None:
    insert_prices(engine, DAYS, CLOSES)
    body = make_client().get("/metrics/history", params={"ticker": "MSFT"}).json()
    assert body["quality"] == [] and body["drift"] == []
    assert "no model yet" in body["reason"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"ticker": "NOPE"}, 404),
        ({"ticker": "MSFT", "start_date": "2023-05-01", "end_date": "2023-04-01"}, 422),
        ({"ticker": "MSFT", "start_date": "2020-01-01", "end_date": "2023-04-01"}, 422),
        ({"ticker": "MSFT", "start_date": "yesterday"}, 422),
        ({"ticker": "MSFT", "rolling_window": 0}, 422),
    ],
)
def test_errors(
    populated: Engine, make_client: ClientFactory, params: dict[str, str], status: int
) -> None:
    response = make_client().get("/metrics/history", params=params)
    assert response.status_code == status
    assert response.json()["detail"]
