"""Hostile input to POST /predict, on both database backends and on both paths (the lane and
the FastAPI route): every answer is a 4xx naming the problem, never a 5xx, and nothing that is
not finite is ever answered or written to the predictions table."""

import json
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from stock_db import create_db_engine, predictions
from support.network import wait_until
from support.trained import Store, app_client

HISTORY = [80.0 + 0.1 * i for i in range(30)]
JSON = "application/json"


def history_with(token: str) -> bytes:
    closes = ", ".join([*(str(v) for v in HISTORY), token])
    return f'{{"ticker": "MSFT", "history": [{closes}], "horizon": 1}}'.encode()


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


# (content, content type, status, last part of the loc of an error (None: any), message part)
CASES: dict[str, tuple[bytes, str | None, int, str | None, str]] = {
    # wrong types
    "ticker-number": (body({"ticker": 5}), JSON, 422, "ticker", "valid string"),
    "ticker-null": (body({"ticker": None}), JSON, 422, "ticker", "valid string"),
    "ticker-list": (body({"ticker": ["MSFT"]}), JSON, 422, "ticker", "valid string"),
    "ticker-too-long": (body({"ticker": "M" * 17}), JSON, 422, "ticker", "at most 16"),
    "ticker-unknown-unicode": (body({"ticker": "MSFT\u202e"}), JSON, 422, "ticker", "unknown"),
    "history-string": (
        body({"ticker": "MSFT", "history": "84"}),
        JSON,
        422,
        "history",
        "valid array",
    ),
    "history-object": (
        body({"ticker": "MSFT", "history": {"a": 1}}),
        JSON,
        422,
        "history",
        "valid array",
    ),
    "history-nested": (
        body({"ticker": "MSFT", "history": [[84.0]] * 25}),
        JSON,
        422,
        "0",
        "valid number",
    ),
    "history-null-item": (
        body({"ticker": "MSFT", "history": [*HISTORY, None]}),
        JSON,
        422,
        "30",
        "valid number",
    ),
    "date-number": (body({"ticker": "MSFT", "date": 20171110}), JSON, 422, "date", "valid date"),
    "date-datetime": (
        body({"ticker": "MSFT", "date": "2017-11-10T00:00:00"}),
        JSON,
        422,
        "date",
        "valid date",
    ),
    "date-year-0": (body({"ticker": "MSFT", "date": "0000-01-01"}), JSON, 422, "date", "date"),
    "date-year-10000": (body({"ticker": "MSFT", "date": "10000-01-01"}), JSON, 422, "date", "date"),
    "horizon-bool": (body({"ticker": "MSFT", "horizon": True}), JSON, 422, "horizon", "integer"),
    "horizon-float": (body({"ticker": "MSFT", "horizon": 1.5}), JSON, 422, "horizon", "integer"),
    "horizon-huge": (
        body({"ticker": "MSFT", "horizon": 10**40}),
        JSON,
        422,
        "horizon",
        "less than or equal to 365",
    ),
    "horizon-negative": (body({"ticker": "MSFT", "horizon": -1}), JSON, 422, "horizon", "1"),
    "body-array": (body([{"ticker": "MSFT"}]), JSON, 422, None, "an object"),
    "body-string": (body("MSFT"), JSON, 422, None, "an object"),
    "body-null": (b"null", JSON, 422, None, "an object"),
    "body-number": (b"5", JSON, 422, None, "an object"),
    # strings for numbers (strict parsing)
    "horizon-string": (body({"ticker": "MSFT", "horizon": "5"}), JSON, 422, "horizon", "integer"),
    "history-strings": (
        body({"ticker": "MSFT", "history": [str(v) for v in HISTORY]}),
        JSON,
        422,
        "0",
        "valid number",
    ),
    # NaN / Infinity tokens (Python's json accepts them) and overflowing literals
    "history-NaN": (history_with("NaN"), JSON, 422, "30", "finite number"),
    "history-Infinity": (history_with("Infinity"), JSON, 422, "30", "finite number"),
    "history-minus-Infinity": (history_with("-Infinity"), JSON, 422, "30", "finite number"),
    "history-1e999": (history_with("1e999"), JSON, 422, "30", "finite number"),
    "horizon-NaN": (b'{"ticker": "MSFT", "horizon": NaN}', JSON, 422, "horizon", "integer"),
    # finite, but outside float32's normal range (the model computes in float32)
    "history-1e308": (history_with("1e308"), JSON, 422, "30", "float32"),
    "history-3.5e38": (history_with("3.5e38"), JSON, 422, "30", "float32"),
    "history-1e-50": (history_with("1e-50"), JSON, 422, "30", "float32"),
    "history-1e-39": (history_with("1e-39"), JSON, 422, "30", "float32"),
    "history-minus-zero": (history_with("-0.0"), JSON, 422, "30", "greater than 0"),
    # inside float32's range, but the forecast overflows it: refused, never answered or logged
    "history-at-float32-max": (
        body({"ticker": "MSFT", "history": [3.4e38] * 25, "horizon": 5}),
        JSON,
        422,
        "history",
        "outside what the model can forecast",
    ),
    "history-swinging": (
        body({"ticker": "MSFT", "history": [1.2e-38, 3.4e38] * 15, "horizon": 5}),
        JSON,
        422,
        "history",
        "outside what the model can forecast",
    ),
    # sizes
    "history-10001": (
        body({"ticker": "MSFT", "history": [84.0] * 10_001}),
        JSON,
        422,
        "history",
        "at most 10000 items",
    ),
    "body-over-1MiB": (
        b'{"ticker": "MSFT", "history": [' + b"84.0, " * 200_000 + b"84.0]}",
        JSON,
        413,
        None,
        "Content Too Large",
    ),
    "deeply-nested": (
        b'{"ticker": "MSFT", "history": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        JSON,
        422,
        None,
        "",
    ),
    # dates far off
    "date-year-1": (
        body({"ticker": "MSFT", "date": "0001-01-01"}),
        JSON,
        422,
        "date",
        "before the first full input window",
    ),
    "date-not-a-day": (body({"ticker": "MSFT", "date": "2017-02-30"}), JSON, 422, "date", "day"),
    # unknown fields, both forms
    "unknown-field": (body({"ticker": "MSFT", "model": "x"}), JSON, 422, "model", "Extra inputs"),
    "both-forms": (
        body({"ticker": "MSFT", "date": "2017-11-10", "history": HISTORY}),
        JSON,
        422,
        None,
        "either `date` or `history`",
    ),
    # empty, non-JSON and mislabelled bodies
    "empty-json": (b"", JSON, 422, None, ""),
    "empty-no-type": (b"", None, 422, "body", "Field required"),
    "not-json": (b"ticker=MSFT", JSON, 422, None, "Invalid JSON"),
    "truncated-json": (b'{"ticker": "MSFT"', JSON, 422, None, "Invalid JSON"),
    "invalid-utf8": (b'{"ticker": "MS\xff\xfeFT"}', JSON, 422, None, ""),
    "bom": (b'\xef\xbb\xbf{"ticker": "MSFT"}', JSON, 422, None, ""),
    "text-plain": (body({"ticker": "MSFT"}), "text/plain", 422, "body", "Content-Type"),
    "form": (b"ticker=MSFT", "application/x-www-form-urlencoded", 422, "body", "Content-Type"),
    "multipart": (b"--x--", "multipart/form-data; boundary=x", 422, "body", "Content-Type"),
    "xml": (b"<ticker>MSFT</ticker>", "application/xml", 422, "body", "Content-Type"),
}


@pytest.fixture(
    scope="module",
    params=[
        ("sqlite", True),
        ("sqlite", False),
        ("postgres", True),
        ("postgres", False),
    ],
    ids=["sqlite-lane", "sqlite-route", "postgres-lane", "postgres-route"],
)
def client(
    request: pytest.FixtureRequest, store: Store, copy_to: Callable[[Store, str], None]
) -> Iterator[TestClient]:
    backend, fast_path = request.param
    url: str = request.getfixturevalue(f"{backend}_url")
    copy_to(store, url)
    settings = store.settings(database_url=url, predict_fast_path=fast_path)
    with app_client(settings) as client:
        yield client


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_a_4xx_naming_the_problem(client: TestClient, case: str) -> None:
    content, content_type, status, field, message = CASES[case]
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/predict", content=content, headers=headers)
    assert response.status_code == status, response.text
    if status == 413:
        assert response.text == message
        return
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail, detail
    for error in detail:
        assert error["loc"][0] == "body" and error["msg"] and error["type"], error
    if field is not None:
        assert any(str(e["loc"][-1]) == field for e in detail), detail
    assert any(message in e["msg"] for e in detail), detail


def test_dates_after_the_newest_close_forecast_from_it(client: TestClient) -> None:
    # Far-future days are not an error: the forecast is from the newest close (as_of says so).
    for day in ("2030-01-01", "9999-12-31"):
        response = client.post("/predict", json={"ticker": "MSFT", "date": day, "horizon": 2})
        assert response.status_code == 200, response.text
        assert response.json()["as_of"] == "2017-11-10"


def test_nothing_logged_is_non_finite(client: TestClient) -> None:
    # Runs after the table (file order): every by-date answer above was logged by now, or is
    # waiting in the queue; wait for the queue, then read every stored number back.
    assert client.post("/predict", json={"ticker": "MSFT", "horizon": 5}).status_code == 200
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    engine = create_db_engine(url)

    def stored() -> list[Any]:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    select(predictions.c.predicted, predictions.c.lower, predictions.c.upper)
                ).all()
            )

    try:
        wait_until(lambda: stored() and queue_rows(client) == 0, what="the queue to drain")
        rows = stored()
    finally:
        engine.dispose()
    assert all(v is not None and math.isfinite(v) for r in rows for v in r), rows


def queue_rows(client: TestClient) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("nn_estimator_prediction_queue_rows "):
            return float(line.split()[1])
    raise AssertionError("no nn_estimator_prediction_queue_rows in /metrics")
