"""GET /metrics/history over HTTP: the rows mapped to JSON, and the error statuses. The
figures themselves are checked in tests/metrics_service/usecases/test_history.py."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
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


@pytest.fixture
def populated(engine: Engine) -> Engine:
    insert_prices(engine, DAYS, CLOSES)
    insert_model(engine, 1, DAYS[0], DAYS[79])
    insert_predictions(
        engine, [prediction_row(DAYS[i - 1], DAYS[i], CLOSES[i] + 1.0) for i in range(80, 120)]
    )
    return engine


def test_history_as_json(populated: Engine, make_client: ClientFactory) -> None:
    params = {
        "ticker": "msft",
        "start_date": DAYS[110].isoformat(),
        "end_date": DAYS[119].isoformat(),
        "rolling_window": 3,
        "drift_window": 20,
    }
    response = make_client().get("/metrics/history", params=params)
    assert response.status_code == 200
    body = response.json()
    assert (body["ticker"], body["model_version"], body["rolling_window"]) == ("MSFT", 1, 3)
    assert body["drift_reference"] == {
        "start": DAYS[1].isoformat(),
        "end": DAYS[79].isoformat(),
        "n": 79,
    }
    assert [row["date"] for row in body["quality"]] == [day.isoformat() for day in DAYS[110:]]
    first = body["quality"][0]
    assert first["as_of"] == DAYS[109].isoformat()
    assert (first["abs_error"], first["rolling_mae"], first["rolling_n"]) == pytest.approx(
        (1.0, 1.0, 3)
    )
    assert [row["current_n"] for row in body["drift"]] == [20] * 10
    assert body["drift_rule"] == "KS p-value < 0.05"


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"ticker": "NOPE"}, 404, "unknown ticker NOPE: no prices loaded for it"),
        (
            {"ticker": "MSFT", "start_date": "2023-05-01", "end_date": "2023-04-01"},
            422,
            ("start_date", "start_date 2023-05-01 is after end_date 2023-04-01"),
        ),
        (
            {"ticker": "MSFT", "start_date": "2020-01-01", "end_date": "2023-04-01"},
            422,
            ("start_date", "range 2020-01-01..2023-04-01 is longer than 731 days"),
        ),
        (
            {"ticker": "MSFT", "end_date": "0001-01-01"},
            422,
            [("end_date", "Value error, end_date 0001-01-01 is outside 1900-01-01..2199-12-31")],
        ),
        (
            {"ticker": "MSFT", "start_date": "0001-01-01", "end_date": "0001-12-31"},
            422,
            [
                (
                    "start_date",
                    "Value error, start_date 0001-01-01 is outside 1900-01-01..2199-12-31",
                ),
                ("end_date", "Value error, end_date 0001-12-31 is outside 1900-01-01..2199-12-31"),
            ],
        ),
        (
            {"ticker": "MSFT", "start_date": "2021-03-30", "end_date": "2023-04-01"},
            422,
            ("start_date", "range 2021-03-30..2023-04-01 is longer than 731 days"),
        ),
        (
            {
                "ticker": "MSFT",
                "start_date": "2021-04-02",
                "end_date": "2023-04-01",
                "drift_window": 5000,
            },
            422,
            (
                "drift_window",
                "drift_window 5000 x 730 days in the range = 3,650,000 values compared, above "
                "the limit of 400,000: shorten the range or use a drift_window of at most 547",
            ),
        ),
        ({"ticker": "MSFT", "start_date": "yesterday"}, 422, ["query", "start_date"]),
        ({"ticker": "MSFT", "rolling_window": 0}, 422, ["query", "rolling_window"]),
    ],
)
def test_errors(
    populated: Engine,
    make_client: ClientFactory,
    params: dict[str, str],
    status: int,
    detail: str | list[str] | tuple[str, str] | list[tuple[str, str]],
) -> None:
    response = make_client().get("/metrics/history", params=params)
    assert response.status_code == status
    body = response.json()["detail"]
    if isinstance(detail, str):
        assert body == detail
    elif isinstance(detail, tuple) or isinstance(detail[0], tuple):
        # refused by the service's own rules: each error names its parameter and explains
        named = [detail] if isinstance(detail, tuple) else detail
        expected = [(["query", field], message) for field, message in named]
        assert [(error["loc"], error["msg"]) for error in body] == expected
    else:  # a parameter refused by validation: the error names it
        assert [error["loc"] for error in body] == [detail]
