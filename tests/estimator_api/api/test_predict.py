"""POST /predict on the real trained model: both request forms and every input error, each
case answered once by the fast lane (PredictLane, the default) and once by the FastAPI route
it stands in for: the two must give the same answers."""

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from stock_db import create_db_engine, ensure_schema, prices
from support.trained import Store, app_client

LAST_CLOSE = "2017-11-10"  # the newest row of the bundled sample (a Friday)


@pytest.fixture(scope="module", params=[True, False], ids=["lane", "fastapi-route"])
def client(request: pytest.FixtureRequest, store: Store) -> Iterator[TestClient]:
    with app_client(store.settings(predict_fast_path=request.param)) as client:
        yield client


def test_by_date_forecasts_the_next_trading_days(client: TestClient, store: Store) -> None:
    response = client.post("/predict", json={"ticker": "msft", "date": "2017-11-10", "horizon": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ticker"] == "MSFT"
    assert body["model"]["name"] == "lstm-MSFT"
    assert body["model"]["version"] == store.first_version
    assert body["as_of"] == LAST_CLOSE
    assert body["interval"] == pytest.approx(0.9)
    steps = body["predictions"]
    assert [s["step"] for s in steps] == [1, 2, 3, 4, 5]
    # Monday 13 .. Friday 17 November 2017: the weekend after as_of is skipped.
    assert [s["date"] for s in steps] == [f"2017-11-{d}" for d in range(13, 18)]
    for s in steps:
        assert 0 < s["lower"] <= s["close"] <= s["upper"]
        assert 40 < s["close"] < 200  # price units, near MSFT's 2017 level of ~84


def test_date_on_a_holiday_uses_the_last_close_before_it(client: TestClient) -> None:
    # Thanksgiving 2016: as_of is Wednesday 23rd, the first step Friday 25th.
    body = client.post("/predict", json={"ticker": "MSFT", "date": "2016-11-24"}).json()
    assert body["as_of"] == "2016-11-23"
    assert [s["date"] for s in body["predictions"]] == ["2016-11-25"]


def test_date_defaults_to_the_newest_close(client: TestClient) -> None:
    body = client.post("/predict", json={"ticker": "MSFT", "horizon": 2}).json()
    assert body["as_of"] == LAST_CLOSE
    assert len(body["predictions"]) == 2


def test_same_window_gives_the_same_forecast_by_date_and_by_history(
    client: TestClient, store: Store
) -> None:
    by_date = client.post("/predict", json={"ticker": "MSFT", "horizon": 3}).json()
    history = closes_up_to(store, dt.date(2017, 11, 10), store.config.input_length + 10)
    response = client.post("/predict", json={"ticker": "MSFT", "history": history, "horizon": 3})
    assert response.status_code == 200, response.text
    by_history = response.json()
    assert by_history["as_of"] is None
    assert [s["date"] for s in by_history["predictions"]] == [None, None, None]
    for a, b in zip(by_date["predictions"], by_history["predictions"], strict=True):
        assert a["close"] == pytest.approx(b["close"], rel=1e-5)


def closes_up_to(store: Store, day: dt.date, count: int) -> list[float]:
    query = (
        select(prices.c.close)
        .where(prices.c.ticker == "MSFT", prices.c.date <= day)
        .order_by(prices.c.date.desc())
        .limit(count)
    )
    with store.engine.connect() as connection:
        return [row.close for row in connection.execute(query)][::-1]


def field_errors(response: Any) -> list[tuple[str, str]]:
    """(last part of loc, msg) of each error in a 422 body."""
    return [(str(e["loc"][-1]), e["msg"]) for e in response.json()["detail"]]


HISTORY_OK = [80.0 + 0.1 * i for i in range(30)]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"ticker": "AAPL"}, "ticker", "unknown ticker 'AAPL'"),
        ({"ticker": ""}, "ticker", "at least 1 character"),
        ({"ticker": "MSFT", "date": "2015-01-02"}, "date", "before the first full input window"),
        ({"ticker": "MSFT", "date": "2017-13-01"}, "date", "month value is outside"),
        ({"ticker": "MSFT", "date": "yesterday"}, "date", "valid date"),
        ({"ticker": "MSFT", "horizon": 0}, "horizon", "greater than or equal to 1"),
        ({"ticker": "MSFT", "horizon": 6}, "horizon", "between 1 and 5"),
        ({"ticker": "MSFT", "horizon": "two"}, "horizon", "valid integer"),
        ({"ticker": "MSFT", "history": [84.0, 84.5]}, "history", "at least 20 closes"),
        ({"ticker": "MSFT", "history": []}, "history", "at least 1 item"),
        ({"ticker": "MSFT", "history": [*HISTORY_OK, -1.0]}, "30", "greater than 0"),
        ({"ticker": "MSFT", "history": [*HISTORY_OK, 0]}, "30", "greater than 0"),
        ({"ticker": "MSFT", "history": [*HISTORY_OK, "x"]}, "30", "valid number"),
        # Bodies are parsed strictly: a number sent as a string is refused, not coerced.
        ({"ticker": "MSFT", "horizon": "5"}, "horizon", "valid integer"),
        ({"ticker": "MSFT", "horizon": 2.0}, "horizon", "valid integer"),
        ({"ticker": "MSFT", "horizon": True}, "horizon", "valid integer"),
        ({"ticker": "MSFT", "history": [*HISTORY_OK, "84.5"]}, "30", "valid number"),
        ({"ticker": 5}, "ticker", "valid string"),
        # Finite floats the model cannot represent in float32: a 422, not nulls in a 200.
        ({"ticker": "MSFT", "history": [*HISTORY_OK, 1e308]}, "30", "float32's normal range"),
        ({"ticker": "MSFT", "history": [*HISTORY_OK, 3.5e38]}, "30", "float32's normal range"),
        ({"ticker": "MSFT", "history": [*HISTORY_OK, 1e-50]}, "30", "float32's normal range"),
        (
            {"ticker": "MSFT", "date": "2017-11-10", "history": HISTORY_OK},
            "body",
            "either `date` or `history`",
        ),
        ({"ticker": "MSFT", "horizon": 1, "extra": 1}, "extra", "Extra inputs"),
        ({"horizon": 1}, "ticker", "Field required"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/predict", json=body)
    assert response.status_code == 422, response.text
    errors = field_errors(response)
    assert any(f == field and message in m for f, m in errors), errors


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_json_numbers_are_a_422_not_a_500(client: TestClient, token: str) -> None:
    # Python's json module accepts these tokens; they must not reach the model or the encoder.
    history = ", ".join(["84.0"] * 25 + [token])
    content = f'{{"ticker": "MSFT", "history": [{history}], "horizon": 1}}'
    response = client.post(
        "/predict", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert field_errors(response) == [("25", "Input should be a finite number")]


def test_malformed_json_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/predict", content='{"ticker": "MSFT", ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_served_ticker_without_a_model_is_a_503(store: Store) -> None:
    # AAPL is served (in TICKERS) but has neither prices nor a model yet.
    with app_client(store.settings(tickers=["MSFT", "AAPL"])) as client:
        response = client.post("/predict", json={"ticker": "AAPL"})
        assert response.status_code == 503
        assert response.json() == {"detail": "no model for ticker AAPL yet"}
        assert response.headers["retry-after"] == "30"
        assert client.post("/predict", json={"ticker": "MSFT"}).status_code == 200


def test_model_without_prices_serves_histories_only(
    store: Store, tmp_path: Path, copy_to: Callable[[Store, str], None]
) -> None:
    # An empty database: the model loads (validated on a synthetic window), dates cannot work.
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = create_db_engine(url)
    ensure_schema(engine)
    copy_to(store, url)  # the models rows say what may be served; then no prices at all
    with engine.begin() as connection:
        connection.execute(delete(prices))
    engine.dispose()
    with app_client(store.settings(database_url=url)) as client:
        response = client.post("/predict", json={"ticker": "MSFT", "date": "2017-11-10"})
        assert response.status_code == 422
        assert field_errors(response) == [("ticker", "no prices stored for MSFT yet")]
        history = {"ticker": "MSFT", "history": HISTORY_OK, "horizon": 2}
        assert client.post("/predict", json=history).status_code == 200


def test_a_body_over_the_limit_is_a_413_counted_as_a_4xx(client: TestClient) -> None:
    content = b'{"ticker": "MSFT", "history": [' + b"84.0, " * 200_000 + b"84.0]}"
    response = client.post(
        "/predict", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.text == "Content Too Large"  # FastAPI's own answer, in both paths
    exposition = client.get("/metrics").text
    assert 'http_requests_total{handler="/predict",method="POST",status="4xx"}' in exposition


@pytest.mark.parametrize(
    "headers",
    [{}, {"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}],
)
def test_a_body_not_sent_as_json_is_a_422_saying_so(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/predict", content=b'{"ticker": "MSFT"}', headers=headers)
    assert response.status_code == 422, response.text
    assert field_errors(response) == [
        ("body", "send the body as JSON, with the header Content-Type: application/json")
    ]


def test_requests_are_counted_under_their_route(client: TestClient) -> None:
    def served() -> float:
        for line in client.get("/metrics").text.splitlines():
            if line.startswith('nn_estimator_http_requests_total{handler="/predict"') and (
                'status="2xx"' in line
            ):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = served()
    for _ in range(3):
        assert client.post("/predict", json={"ticker": "MSFT"}).status_code == 200
    assert served() == before + 3


def test_the_openapi_document_describes_predict(client: TestClient) -> None:
    # The route reads the raw body itself; its request schema is declared through openapi_extra.
    operation = client.get("/openapi.json").json()["paths"]["/predict"]["post"]
    body = operation["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    # PredictRequest.model_json_schema() as OpenAPI renders it (numbers as floats: 365.0).
    assert schema["title"] == "PredictRequest"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["horizon"]["maximum"] == 365
    assert schema["properties"]["ticker"]["description"].startswith("One of the served TICKERS")
    assert set(schema["properties"]) == {"ticker", "date", "history", "horizon"}
    assert schema["required"] == ["ticker"]
    assert {"ticker": "MSFT", "date": "2017-11-10", "horizon": 5} in schema["examples"]
    assert {"200", "413", "422", "503"} <= set(operation["responses"])
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/PredictResponse")


def test_a_forecast_that_is_not_finite_is_a_422_and_never_logged(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever makes a model overflow (here: its output forced to inf), the client gets a 422
    # naming its input, never nulls in a 200, and the predictions table never gets the row.
    service = client.app.state.service  # type: ignore[attr-defined]
    log = service.prediction_log
    queued: list[Any] = []
    monkeypatch.setattr(log, "enqueue", queued.extend)

    async def overflowing(model: Any, window: Any) -> tuple[np.ndarray, float]:
        return np.full((model.max_horizon, 3), np.inf), 0.0001

    monkeypatch.setattr(service, "_infer", overflowing)
    response = client.post("/predict", json={"ticker": "MSFT", "date": LAST_CLOSE, "horizon": 5})
    assert response.status_code == 422, response.text
    assert field_errors(response) == [
        (
            "date",
            "the model's forecast for this input is not a finite number: the closes are "
            "outside what the model can forecast",
        )
    ]
    response = client.post("/predict", json={"ticker": "MSFT", "history": HISTORY_OK})
    assert response.status_code == 422, response.text
    assert field_errors(response)[0][0] == "history"
    assert queued == []
