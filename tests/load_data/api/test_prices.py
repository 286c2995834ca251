"""GET /prices and GET /tickers on both backends."""

import pytest
from fastapi.testclient import TestClient

from support.yahoo import load_body


def test_prices_in_a_range_with_their_source_labels(client: TestClient) -> None:
    client.post("/load", json=load_body(start="2017-11-01"))
    body = client.get(
        "/prices", params={"ticker": "msft", "start_date": "2017-11-08", "end_date": "2017-11-09"}
    ).json()
    assert body == {
        "ticker": "MSFT",
        "sources": ["sample"],
        "prices": [
            {
                "date": "2017-11-08",
                "open": 84.14,
                "high": 84.61,
                "low": 83.83,
                "close": 84.56,
                "volume": 18029584,
            },
            {
                "date": "2017-11-09",
                "open": 84.11,
                "high": 84.27,
                "low": 82.9,
                "close": 84.09,
                "volume": 21175384,
            },
        ],
    }
    everything = client.get("/prices", params={"ticker": "MSFT"}).json()["prices"]
    assert len(everything) == 8
    outside = client.get("/prices", params={"ticker": "MSFT", "end_date": "2000-01-01"})
    assert outside.status_code == 200 and outside.json()["prices"] == []


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"ticker": "NOPE"}, 404, None),
        ({"ticker": "ms ft"}, 422, "ticker"),
        ({}, 422, "ticker"),
        ({"ticker": "MSFT", "start_date": "20171101"}, 422, "start_date"),
        (
            {"ticker": "MSFT", "start_date": "2017-11-09", "end_date": "2017-11-01"},
            422,
            "start_date",
        ),
    ],
)
def test_bad_price_queries(
    client: TestClient, params: dict[str, str], status: int, field: str | None
) -> None:
    client.post("/load", json=load_body(start="2017-11-01"))
    response = client.get("/prices", params=params)
    assert response.status_code == status, response.text
    if field:
        assert any(error["loc"] == ["query", field] for error in response.json()["detail"])
    else:
        assert "POST /load" in response.json()["detail"]


def test_tickers_report_coverage(client: TestClient) -> None:
    assert client.get("/tickers").json() == {"tickers": []}
    client.post("/load", json=load_body(start="2017-11-01"))
    assert client.get("/tickers").json() == {
        "tickers": [
            {
                "ticker": "MSFT",
                "first_date": "2017-11-01",
                "last_date": "2017-11-10",
                "rows": 8,
                "sources": ["sample"],
            }
        ]
    }
