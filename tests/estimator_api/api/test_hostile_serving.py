"""Hostile input to GET /model, GET /ready and POST /admin/reload, on both database backends:
a 4xx naming the problem, or a normal answer, never a 5xx."""

from collections.abc import Callable
from typing import Any

from support.trained import Store, app_client

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# (method, path, request keywords, expected status or None for "any 2xx-4xx")
CASES: list[tuple[str, str, dict[str, Any], int | None]] = [
    ("GET", "/model", {"params": {"ticker": ""}}, 422),
    ("GET", "/model", {"params": {"ticker": "   "}}, 422),
    ("GET", "/model", {"params": {"ticker": "A" * 17}}, 422),
    ("GET", "/model", {"params": {"ticker": "A" * 20_000}}, None),
    ("GET", "/model", {"params": {"ticker": "\x00"}}, 422),
    ("GET", "/model", {"params": {"ticker": "MSFT\x00"}}, 422),
    ("GET", "/model", {"params": {"ticker": "../../etc"}}, 422),
    ("GET", "/model", {"params": {"ticker": "'; DROP TABLE models; --"}}, 422),
    ("GET", "/model", {"params": {"ticker": "\uff2d\uff33\uff26\uff34"}}, 422),
    ("GET", "/model", {"params": {"ticker": "😀"}}, 422),
    ("GET", "/model", {"params": {"ticker": "NaN"}}, 422),
    ("GET", "/model", {"params": [("ticker", "MSFT"), ("ticker", "AAPL")]}, None),
    ("GET", "/model", {"params": {"ticker": " msft "}}, 200),
    ("GET", "/model", {"params": {"other": "x" * 10_000}}, 200),
    ("GET", "/model", {"headers": {"Accept": "text/html"}}, 200),
    ("GET", "/ready", {"params": {"ready": "false", "ticker": "\x00"}}, 200),
    ("GET", "/ready", {"headers": {"Accept": "application/xml"}}, 200),
    ("POST", "/ready", {}, 405),
    ("POST", "/admin/reload", {}, 401),
    ("POST", "/admin/reload", {"headers": {"Authorization": "Bearer "}}, 401),
    ("POST", "/admin/reload", {"headers": {"Authorization": "Bearer " + "x" * 10_000}}, 403),
    ("POST", "/admin/reload", {"headers": {"Authorization": "bearer s3cret"}}, 200),
    ("POST", "/admin/reload", {"headers": AUTH, "content": b"\xff\xfe not json"}, 200),
    ("POST", "/admin/reload", {"headers": AUTH, "json": {"force": "yes"}}, 200),
    ("POST", "/admin/reload", {"headers": AUTH, "content": b"x" * 2_000_000}, 200),
    ("POST", "/admin/reload", {"headers": AUTH, "params": {"ticker": "\x00"}}, 200),
    ("GET", "/admin/reload", {"headers": AUTH}, 405),
]


def test_hostile_input_never_gets_a_5xx(
    store: Store, database_url: str, copy_to: Callable[[Store, str], None]
) -> None:
    copy_to(store, database_url)
    with app_client(store.settings(database_url=database_url, admin_token=TOKEN)) as client:
        for method, path, request, expected in CASES:
            response = client.request(method, path, **request)
            where = f"{method} {path} {str(request)[:80]}"
            assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
            if expected is not None:
                assert response.status_code == expected, f"{where}: {response.text[:200]}"
            if response.status_code == 422 and path == "/model":
                assert response.json()["detail"][0]["loc"] == ["query", "ticker"], where
