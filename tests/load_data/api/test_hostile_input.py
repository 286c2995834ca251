"""Hostile input, endpoint by endpoint, on both backends: every answer is a 4xx whose detail
names the problem (or, for endpoints that take no input, the normal answer), never a 5xx, and
nothing is written."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support.yahoo import load_body, stored_count

JSON = {"content-type": "application/json"}
LONG_TICKER = "M" * 10_000
SQLISH = "MSFT'; DROP TABLE prices; --"


def _raw(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


def _with(field: str, token: str) -> bytes:
    """A load body whose `field` holds a raw JSON token (NaN, Infinity, 1e999, ...)."""
    body = {"ticker": "MSFT", "start_date": "2010-01-01", "end_date": "2017-11-10", field: "@"}
    return json.dumps(body).replace('"@"', token).encode()


# (request body, content type, status, words the answer's text must contain)
LOAD_CASES: list[tuple[str, bytes, str | None, int, str]] = [
    ("NaN date", _with("start_date", "NaN"), "application/json", 422, "start_date"),
    ("Infinity date", _with("end_date", "Infinity"), "application/json", 422, "end_date"),
    ("-Infinity ticker", _with("ticker", "-Infinity"), "application/json", 422, "ticker"),
    ("NaN source", _with("source", "NaN"), "application/json", 422, "source"),
    ("huge float", _with("start_date", "1e999"), "application/json", 422, "start_date"),
    ("huge integer", _with("start_date", "9" * 400), "application/json", 422, "start_date"),
    ("integer ticker", _with("ticker", "42"), "application/json", 422, "ticker"),
    ("boolean ticker", _with("ticker", "true"), "application/json", 422, "ticker"),
    ("list ticker", _with("ticker", '["MSFT"]'), "application/json", 422, "ticker"),
    ("object date", _with("start_date", '{"y": 2010}'), "application/json", 422, "start_date"),
    ("null date", _with("end_date", "null"), "application/json", 422, "end_date"),
    ("integer date", _with("start_date", "20100101"), "application/json", 422, "start_date"),
    ("integer source", _with("source", "1"), "application/json", 422, "source"),
    ("year 1", _raw(load_body(start="0001-01-01")), "application/json", 422, "50 years"),
    (
        "year 9999",
        _raw(load_body(start="9999-12-30", end="9999-12-31")),
        "application/json",
        422,
        "future",
    ),
    (
        "reversed",
        _raw(load_body(start="2017-11-10", end="2010-01-01")),
        "application/json",
        422,
        "after end_date",
    ),
    (
        "51 years",
        _raw(load_body(start="1960-01-01", end="2011-01-02")),
        "application/json",
        422,
        "50 years",
    ),
    ("non-ASCII ticker", _raw(load_body(ticker="MSFTé")), "application/json", 422, "not a ticker"),
    ("emoji ticker", _raw(load_body(ticker="📈")), "application/json", 422, "not a ticker"),
    ("10 kB ticker", _raw(load_body(ticker=LONG_TICKER)), "application/json", 422, "not a ticker"),
    ("SQL-ish ticker", _raw(load_body(ticker=SQLISH)), "application/json", 422, "not a ticker"),
    (
        "SQL-ish date",
        _raw(load_body(start="2010-01-01' OR 1=1")),
        "application/json",
        422,
        "start_date",
    ),
    (
        "SQL-ish source",
        _raw(load_body(source="sample'; --")),
        "application/json",
        422,
        "not available",
    ),
    ("extra field", _raw(load_body(colour="blue")), "application/json", 422, "colour"),
    ("empty body", b"", "application/json", 422, "Field required"),
    ("empty object", b"{}", "application/json", 422, "Field required"),
    ("non-JSON body", b"ticker=MSFT&start_date=2010", "application/json", 422, "JSON decode error"),
    ("truncated JSON", b'{"ticker": "MSFT", "start_', "application/json", 422, "JSON decode error"),
    ("JSON list", b"[1, 2]", "application/json", 422, "dictionary"),
    ("JSON string", b'"MSFT"', "application/json", 422, "dictionary"),
    (
        "form content type",
        _raw(load_body()),
        "application/x-www-form-urlencoded",
        415,
        "application/json",
    ),
    ("text content type", _raw(load_body()), "text/plain", 415, "application/json"),
    ("no content type", _raw(load_body()), None, 415, "application/json"),
    # json.loads raises no JSONDecodeError for these, and FastAPI answers its generic 400
    ("invalid UTF-8", b'{"ticker": "\xff\xfe"}', "application/json", 400, "parsing the body"),
    (
        "5000-digit integer",
        _with("start_date", "9" * 5000),
        "application/json",
        400,
        "parsing the body",
    ),
]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [case[1:] for case in LOAD_CASES],
    ids=[case[0] for case in LOAD_CASES],
)
def test_hostile_load_requests_are_refused_naming_the_problem(
    client: TestClient,
    engine: Engine,
    body: bytes,
    content_type: str | None,
    status: int,
    words: str,
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/load", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert words in response.text
    assert response.json()["detail"]
    assert stored_count(engine) == 0


# (query parameters, status, words the answer's text must contain); MSFT 2017-11 is stored.
PRICE_CASES: list[tuple[str, dict[str, str], int, str]] = [
    ("no ticker", {}, 422, "ticker"),
    ("empty ticker", {"ticker": ""}, 422, "not a ticker"),
    ("non-ASCII ticker", {"ticker": "MSFTé"}, 422, "not a ticker"),
    ("10 kB ticker", {"ticker": LONG_TICKER}, 422, "not a ticker"),
    ("SQL-ish ticker", {"ticker": SQLISH}, 422, "not a ticker"),
    ("NaN date", {"ticker": "MSFT", "start_date": "NaN"}, 422, "start_date"),
    ("Infinity date", {"ticker": "MSFT", "end_date": "Infinity"}, 422, "end_date"),
    ("huge number date", {"ticker": "MSFT", "start_date": "9" * 400}, 422, "start_date"),
    ("timestamp date", {"ticker": "MSFT", "start_date": "1700000000"}, 422, "start_date"),
    ("SQL-ish date", {"ticker": "MSFT", "start_date": "2017' OR 1=1 --"}, 422, "start_date"),
    ("month 13", {"ticker": "MSFT", "end_date": "2017-13-01"}, 422, "calendar date"),
    (
        "reversed",
        {"ticker": "MSFT", "start_date": "2017-11-10", "end_date": "2017-11-01"},
        422,
        "after end_date",
    ),
    ("unknown ticker", {"ticker": "NOPE"}, 404, "POST /load"),
]


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [case[1:] for case in PRICE_CASES],
    ids=[case[0] for case in PRICE_CASES],
)
def test_hostile_price_queries_are_refused_naming_the_problem(
    client: TestClient, engine: Engine, params: dict[str, str], status: int, words: str
) -> None:
    client.post("/load", json=load_body(start="2017-11-01"))
    response = client.get("/prices", params=params)
    assert response.status_code == status, response.text
    assert words in response.text
    assert stored_count(engine) == 8


@pytest.mark.parametrize(
    ("start", "end", "rows"),
    [
        ("0001-01-01", "9999-12-31", 8),  # year 1 to 9999: legal bounds of a read
        ("0001-01-01", "0001-01-01", 0),
        ("9999-12-31", "9999-12-31", 0),
        ("1900-01-01", "2017-11-10", 8),  # more than 50 years: a read has no width limit
    ],
)
def test_extreme_but_valid_price_ranges_answer(
    client: TestClient, start: str, end: str, rows: int
) -> None:
    client.post("/load", json=load_body(start="2017-11-01"))
    response = client.get(
        "/prices", params={"ticker": "MSFT", "start_date": start, "end_date": end}
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["prices"]) == rows


@pytest.mark.parametrize("path", ["/tickers", "/health"])
@pytest.mark.parametrize(
    ("params", "body", "content_type"),
    [
        ({"ticker": SQLISH, "start_date": "NaN"}, None, None),
        ({"x": LONG_TICKER}, None, None),
        ({}, b'{"ticker": NaN}', "application/json"),
        ({}, b"\xff\xfe not json", "text/plain"),
    ],
    ids=["sql-ish and NaN query", "10 kB query", "NaN body", "binary body"],
)
def test_endpoints_without_input_ignore_hostile_extras(
    client: TestClient,
    engine: Engine,
    path: str,
    params: dict[str, str],
    body: bytes | None,
    content_type: str | None,
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.request("GET", path, params=params, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert stored_count(engine) == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/load", "/prices", "/tickers", "/health"])
def test_other_methods_are_405(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, content=b"{}", headers=JSON)
    assert response.status_code == 405, response.text
