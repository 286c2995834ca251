"""Hostile requests and hostile data never give a 5xx (issue 10), on both backends: a 422
naming the parameter for bad input; a database that is not one is a 503 naming it (and
/health says so); non-finite stored values are skipped and counted, not a 500."""

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from metrics_service.config import Settings
from metrics_service.main import create_app
from support.rows import (
    insert_model,
    insert_predictions,
    insert_prices,
    prediction_row,
    random_walk,
    trading_days,
)

DAYS = trading_days("2023-01-02", 120)
CLOSES = random_walk(120, 0.01, seed=5)
ClientFactory = Callable[..., TestClient]
ENDPOINTS = ["/metrics", "/metrics/history"]


@pytest.fixture
def populated(engine: Engine) -> Engine:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[79])
    insert_predictions(
        engine, [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 0.5) for i in range(81, 120)]
    )
    return engine


# (Surrounding blanks are stripped and case folded, as everywhere in the suite: not hostile.)
TICKERS = ["", "A" * 10_000, "\u041cSFT", "微软", "MSFT'; DROP TABLE prices; --", "MS FT"]
COMMON = [("ticker", value) for value in TICKERS] + [
    ("horizon", value) for value in ["0", "-1", "61", str(10**30), "x", "1.5", "", "1e3", "NaN"]
]
METRICS_ONLY = (
    [("window", value) for value in ["0", "-5", "5001", str(10**30), "x", "2.5", "inf"]]
    + [("drift_window", value) for value in ["0", "4", "-60", "5001", str(10**30), "x", "60.5"]]
    + [
        ("inference_window", value)
        for value in [
            "0s",
            "5",
            "m",
            "5 m",
            "5min",
            "-5m",
            "1234567m",
            "\uff15m",
            "5m]) or vector(1",
            "",
        ]
    ]
)
HISTORY_ONLY = (
    [("drift_window", value) for value in ["0", "4", "-60", "5001", str(10**30), "x", "60.5"]]
    + [("rolling_window", value) for value in ["0", "-1", "501", str(10**30), "x", "2.5"]]
    + [
        (field, value)
        for field in ("start_date", "end_date")
        for value in [
            "0001-01-01",
            "9999-12-31",
            "1899-12-31",
            "2200-01-01",
            "2024-02-30",
            "2024-13-01",
            "20240101",
            "2024-1-1",
            "yesterday",
            "1700000000",
            "",
            "2024-01-01T00:00:00",
        ]
    ]
)


def cases(endpoint: str) -> list[tuple[str, str]]:
    return COMMON + (METRICS_ONLY if endpoint == "/metrics" else HISTORY_ONLY)


@pytest.mark.parametrize(
    ("endpoint", "field", "value"),
    [(endpoint, field, value) for endpoint in ENDPOINTS for field, value in cases(endpoint)],
)
def test_hostile_parameters_are_422_naming_them(
    populated: Engine, make_client: ClientFactory, endpoint: str, field: str, value: str
) -> None:
    params = {"ticker": "MSFT", field: value}
    response = make_client().get(endpoint, params=params)
    assert response.status_code == 422, response.text[:500]
    assert [error["loc"] for error in response.json()["detail"]] == [["query", field]]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"start_date": "2023-05-01", "end_date": "2023-04-01"}, ["start_date"]),  # reversed
        ({"start_date": "0001-01-01", "end_date": "0001-12-31"}, ["start_date", "end_date"]),
        ({"end_date": "0001-01-01"}, ["end_date"]),
        ({"start_date": "9999-12-31"}, ["start_date"]),
        (
            {"start_date": "2021-01-01", "end_date": "2022-12-31", "drift_window": 5000},
            ["drift_window"],
        ),
    ],
)
def test_hostile_date_ranges_are_422(
    populated: Engine, make_client: ClientFactory, params: dict[str, Any], fields: list[str]
) -> None:
    response = make_client().get("/metrics/history", params={"ticker": "MSFT"} | params)
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["query", field] for field in fields
    ]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_largest_allowed_values_answer(
    populated: Engine, make_client: ClientFactory, endpoint: str
) -> None:
    params: dict[str, Any] = {"ticker": "msft", "horizon": 60, "drift_window": 500}
    if endpoint == "/metrics":
        params |= {"window": 5000, "drift_window": 5000, "inference_window": "999999w"}
    else:
        params |= {"rolling_window": 500, "start_date": "1900-01-01", "end_date": "1901-12-31"}
    response = make_client().get(endpoint, params=params)
    assert response.status_code == 200, response.text


def test_not_a_database_is_503_naming_it(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    path = tmp_path / "not-a-database.db"
    path.write_bytes(b"this is a text file, not SQLite\n" * 100)
    settings = make_settings(database_url=f"sqlite:///{path}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for endpoint in ENDPOINTS:
            response = client.get(endpoint, params={"ticker": "MSFT"})
            assert response.status_code == 503, response.text
            assert response.json()["detail"].startswith("database unavailable: ")
            assert "DatabaseError" in response.json()["detail"]
        health = client.get("/health")
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "database": "unreachable (DatabaseError)"}


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_non_finite_predictions_are_skipped_and_counted(
    engine: Engine, make_client: ClientFactory, value: float
) -> None:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[79])
    rows = [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 0.5) for i in range(81, 100)]
    broken = prediction_row(DAYS[99], DAYS[100], 1.0)
    broken |= {"predicted": value, "lower": -math.inf, "upper": math.inf}
    insert_predictions(engine, [*rows, broken])
    client = make_client()
    for endpoint in ENDPOINTS:
        response = client.get(endpoint, params={"ticker": "MSFT"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["n_invalid"] == 1
        assert (
            "1 forecasts holding a non-finite or non-positive value were skipped" in body["reason"]
        )
    metrics = client.get("/metrics", params={"ticker": "MSFT", "window": 100}).json()
    assert metrics["n"] == 19
    assert metrics["mae"] == pytest.approx(0.5)


def test_non_finite_prices_are_skipped(engine: Engine, make_client: ClientFactory) -> None:
    closes = list(CLOSES)
    closes[50] = math.inf  # inside the training window: drift, MASE scale and drift rate
    insert_prices(engine, DAYS, closes)
    insert_model(engine, 1, DAYS[0], DAYS[79])
    insert_predictions(
        engine, [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 0.5) for i in range(81, 120)]
    )
    client = make_client()
    metrics = client.get("/metrics", params={"ticker": "MSFT"})
    history = client.get("/metrics/history", params={"ticker": "MSFT"})
    assert (metrics.status_code, history.status_code) == (200, 200)
    assert metrics.json()["mase_scale"]["value"] is not None
    assert metrics.json()["data_drift"]["p_value"] is not None
