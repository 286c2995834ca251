"""A pure-ASGI guard in front of the app for state-changing requests (POST, PUT, PATCH,
DELETE): the bearer token first, then a JSON content type and a capped body.

FastAPI reads and parses a body before it runs any dependency, so stock_db.auth's AdminDep
alone lets an unauthenticated client make the process parse (and hold) any body it sends. This
guard answers from the headers alone, before a byte of the body is read:

- 401 without a bearer token, 403 with a wrong one (constant-time), when a token is set; the
  same bodies and header as stock_db.auth;
- 415 when a body is sent as anything but JSON;
- 413 when Content-Length says the body is larger than the cap, or, for a body without a
  length (chunked), as soon as what was read passes the cap. No more than the cap is buffered;
  the buffered body is then replayed to the app.

Reading requests (GET, HEAD, OPTIONS) pass untouched.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stock_db.auth import MISSING_TOKEN, WRONG_TOKEN, token_matches

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTooLarge(Exception):
    pass


@dataclass(frozen=True)
class Refusal:
    status: int
    detail: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


def _headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def bearer_token(authorization: str | None) -> str | None:
    """The token of an 'Authorization: Bearer <token>' header (scheme case-insensitive), or
    None, as fastapi.security.HTTPBearer reads it."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


async def _answer(send: Send, refusal: Refusal) -> None:
    body = json.dumps({"detail": refusal.detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *refusal.headers,
    ]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_capped_body(receive: Receive, max_bytes: int) -> bytes:
    """The whole request body, or BodyTooLarge as soon as more than `max_bytes` arrived."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the already-read body, then the server's own messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        message: Message = await receive()
        return message

    return replay


class StateChangeGuard:
    """ASGI middleware: `token()` is the expected bearer token (None: open), read per request so
    that settings can change in tests; `max_body_bytes` caps every state-changing body."""

    def __init__(self, app: ASGIApp, token: Callable[[], str | None], max_body_bytes: int) -> None:
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in STATE_CHANGING:
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(headers)
        if refusal is not None:
            await _answer(send, refusal)
            return
        try:
            body = await read_capped_body(receive, self.max_body_bytes)
        except BodyTooLarge:
            await _answer(send, self._too_large())
            return
        await self.app(scope, _replaying(body, receive), send)

    def _refusal(self, headers: dict[str, str]) -> Refusal | None:
        """What the headers alone already refuse, in order: token, length, content type."""
        expected = self.token()
        if expected is not None:
            given = bearer_token(headers.get("authorization"))
            if given is None:
                return Refusal(401, MISSING_TOKEN, [(b"www-authenticate", b"Bearer")])
            if not token_matches(given, expected):
                return Refusal(403, WRONG_TOKEN)
        length = headers.get("content-length")
        if length is not None and not length.isdigit():
            return Refusal(400, f"Content-Length {length!r} is not a number of bytes")
        if length is not None and int(length) > self.max_body_bytes:
            return self._too_large()
        has_body = (length is not None and int(length) > 0) or "transfer-encoding" in headers
        if has_body and not is_json(headers.get("content-type", "")):
            sent = headers.get("content-type", "no content type")
            return Refusal(
                415, f"send the body as JSON ('Content-Type: application/json'), not {sent!r}"
            )
        return None

    def _too_large(self) -> Refusal:
        return Refusal(
            413,
            f"the request body is larger than {self.max_body_bytes} bytes; a request to this "
            "service is a small JSON object",
        )


def guard_state_changes(app: FastAPI, max_body_bytes: int) -> None:
    """Put the guard in front of `app`, with the token of `app.state.settings` (SuiteSettings)
    read per request."""

    def token() -> str | None:
        secret = app.state.settings.admin_token
        return secret.get_secret_value() if secret is not None else None

    app.add_middleware(StateChangeGuard, token=token, max_body_bytes=max_body_bytes)
