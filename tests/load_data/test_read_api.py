"""GET /prices, /tickers and /health on both backends, and /health with the database down."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from load_data.config import Settings
from load_data.main import create_app
from support.yahoo import ClientFactory, load_body


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


def test_health_reports_the_database(client: TestClient) -> None:
    assert client.get("/health").json() == {
        "status": "ok",
        "database": "ok",
        "price_source": "sample",
    }


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_database_down_is_degraded_not_500(backend: str, tmp_path: Path) -> None:
    url = {
        "postgres": "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",  # nothing on port 1
        "sqlite": f"sqlite:///{tmp_path}",  # a directory: SQLite cannot open it
    }[backend]
    app = create_app(Settings(database_url=url, price_source="sample", admin_token=None))
    with TestClient(app) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "degraded"
        load = client.post("/load", json=load_body(start="2017-11-01"))
        assert load.status_code == 503
        assert "nothing was written" in load.json()["detail"]
        assert client.get("/tickers").status_code == 503


def test_openapi_documents_the_source_override(make_client: ClientFactory) -> None:
    schema = make_client().get("/openapi.json").json()
    load_request = schema["components"]["schemas"]["LoadRequest"]
    assert "Overrides PRICE_SOURCE" in load_request["properties"]["source"]["description"]
    assert load_request["examples"]
