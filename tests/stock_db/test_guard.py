"""The guard in front of state-changing requests (stock_db.guard): token first, then content
type and a capped body, answered from the headers before the body is read."""

import asyncio
import json
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from stock_db.guard import StateChangeGuard, bearer_token

CAP = 16 * 1024


class _Body:
    """An ASGI receive that streams `chunks` chunks of `size` bytes and counts what was read."""

    def __init__(self, chunks: int, size: int = 4096) -> None:
        self.left = chunks
        self.size = size
        self.read = 0

    async def __call__(self) -> Message:
        self.left -= 1
        self.read += self.size
        return {"type": "http.request", "body": b"x" * self.size, "more_body": self.left > 0}


async def _app_that_reads(scope: Scope, receive: Receive, send: Send) -> None:
    message = await receive()
    body = json.dumps({"read": len(message["body"])}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _call(
    headers: dict[str, str], receive: _Body, token: str | None = "s3cret", method: str = "POST"
) -> tuple[int, dict[str, Any]]:
    guard = StateChangeGuard(_app_that_reads, token=lambda: token, max_body_bytes=CAP)
    scope = {
        "type": "http",
        "method": method,
        "path": "/load",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent[0]["status"], json.loads(sent[1]["body"])


JSON = {"content-type": "application/json"}
SIXTY_FOUR_MIB = str(64 * 1024 * 1024)


@pytest.mark.parametrize(
    ("headers", "status", "words"),
    [
        ({**JSON, "content-length": SIXTY_FOUR_MIB}, 401, "Authorization: Bearer"),
        ({**JSON, "authorization": "Basic czNjcmV0"}, 401, "Authorization: Bearer"),
        ({**JSON, "authorization": "Bearer "}, 401, "Authorization: Bearer"),
        ({**JSON, "authorization": "Bearer nope", "content-length": SIXTY_FOUR_MIB}, 403, "wrong"),
        (
            {**JSON, "authorization": "Bearer s3cret", "content-length": SIXTY_FOUR_MIB},
            413,
            "16384",
        ),
        (
            {**JSON, "authorization": "Bearer s3cret", "content-length": "12x"},
            400,
            "Content-Length",
        ),
        ({"authorization": "Bearer s3cret", "content-length": "10"}, 415, "application/json"),
        (
            {"authorization": "Bearer s3cret", "content-type": "text/plain", "content-length": "5"},
            415,
            "text/plain",
        ),
    ],
)
def test_refusals_come_from_the_headers_without_reading_the_body(
    headers: dict[str, str], status: int, words: str
) -> None:
    body = _Body(chunks=16 * 1024)  # 64 MiB if anyone read it
    answer, detail = _call(headers, body)
    assert (answer, body.read) == (status, 0)
    assert words in detail["detail"]


def test_a_body_without_length_is_cut_off_just_past_the_cap() -> None:
    body = _Body(chunks=16 * 1024)  # chunked, 64 MiB
    answer, detail = _call({**JSON, "authorization": "Bearer s3cret"}, body)
    assert answer == 413 and "16384" in detail["detail"]
    assert body.read <= CAP + body.size


def test_a_body_within_the_cap_is_replayed_to_the_app() -> None:
    body = _Body(chunks=3, size=1000)
    answer, detail = _call({**JSON, "transfer-encoding": "chunked"}, body, token=None)
    assert (answer, detail) == (200, {"read": 3000})


def test_reading_requests_pass_untouched() -> None:
    body = _Body(chunks=1, size=100)
    answer, detail = _call({}, body, method="GET")
    assert (answer, detail) == (200, {"read": 100})


@pytest.mark.parametrize(
    ("header", "token"),
    [
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer   ", None),
        ("Basic abc", None),
        ("Bearer abc", "abc"),
        ("bearer abc", "abc"),
        ("BEARER  abc ", "abc"),
    ],
)
def test_bearer_tokens_are_read_like_fastapi_does(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
