"""GET /metrics over HTTP on both backends: parameters (422 naming nothing wrong is a bug),
unknown tickers, the report mapped to JSON without NaN. The figures themselves are checked
in tests/metrics_service/usecases/test_report.py."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    trading_days,
)

DAYS = trading_days("2023-01-02", 40)
ClientFactory = Callable[..., TestClient]


@pytest.fixture
def flat_prices(engine: Engine) -> Engine:
    """Flat closes and a forecast 1.0 above them: naive MAE 0, so MASE and drift are undefined."""
    insert_prices(engine, DAYS, [100.0] * 40)
    insert_model(engine, 1, DAYS[0], DAYS[20])
    insert_predictions(engine, [prediction_row(DAYS[i - 1], DAYS[i], 101.0) for i in range(30, 40)])
    return engine


def test_report_as_json(flat_prices: Engine, make_client: ClientFactory) -> None:
    response = make_client().get("/metrics", params={"ticker": "msft", "window": 5})
    assert response.status_code == 200
    assert "NaN" not in response.text and "Infinity" not in response.text
    body = response.json()
    assert (body["ticker"], body["horizon"], body["window"], body["model_version"]) == (
        "MSFT",
        1,
        5,
        1,
    )
    assert (body["n"], body["start"], body["end"]) == (
        5,
        DAYS[35].isoformat(),
        DAYS[39].isoformat(),
    )
    assert (body["mse"], body["rmse"], body["mae"], body["mape"]) == (1.0, 1.0, 1.0, 1.0)
    assert body["mase"] is None  # naive MAE of zero: undefined, not infinite
    assert body["naive"] == {"mse": 0.0, "rmse": 0.0, "mae": 0.0, "mape": 0.0}
    assert body["offline"]["label"].startswith("offline walk-forward evaluation")
    drift = body["data_drift"]
    assert drift["reference"] == {
        "start": DAYS[1].isoformat(),
        "end": DAYS[20].isoformat(),
        "n": 20,
    }
    assert drift["current"] == {
        "start": DAYS[-39].isoformat(),
        "end": DAYS[-1].isoformat(),
        "n": 39,
    }
    assert drift["volume"]["signal"] == "daily volume"
    assert body["inference"]["source"] is None
    assert body["generated_at"].endswith("Z") or "+00:00" in body["generated_at"]


def test_no_model_yet_is_200_with_reason(engine: Engine, make_client: ClientFactory) -> None:
    insert_prices(engine, DAYS[:10], [100.0] * 10)
    response = make_client().get("/metrics", params={"ticker": "MSFT"})
    assert response.status_code == 200
    assert response.json()["reason"] == (
        "no model yet for MSFT: no champion and no logged predictions"
    )


def test_unknown_ticker_is_404(flat_prices: Engine, make_client: ClientFactory) -> None:
    response = make_client().get("/metrics", params={"ticker": "NOPE"})
    assert response.status_code == 404
    assert response.json() == {"detail": "unknown ticker NOPE: no prices loaded for it"}


@pytest.mark.parametrize(
    ("params", "wrong"),
    [
        ({}, "ticker"),
        ({"ticker": "MS FT"}, "ticker"),
        ({"ticker": "MSFT", "horizon": 0}, "horizon"),
        ({"ticker": "MSFT", "horizon": "x"}, "horizon"),
        ({"ticker": "MSFT", "window": 0}, "window"),
        ({"ticker": "MSFT", "drift_window": 2}, "drift_window"),
        ({"ticker": "MSFT", "inference_window": "5 minutes"}, "inference_window"),
        ({"ticker": "MSFT", "inference_window": "5m]) or vector(1"}, "inference_window"),
    ],
)
def test_bad_parameters_are_422(
    flat_prices: Engine, make_client: ClientFactory, params: dict[str, object], wrong: str
) -> None:
    response = make_client().get("/metrics", params=params)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", wrong]]
