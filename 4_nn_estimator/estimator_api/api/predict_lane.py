"""POST /predict answered in a pure ASGI middleware, before FastAPI's router.

Why: in bench/bench_api.py the same forecast served through the FastAPI route (routing,
dependency solving, request/response wrappers, exception-handling layers) reached about half
the throughput of a no-op FastAPI endpoint; answered here it reaches about 90%. The lane only
reads the body (with the route's 1 MiB limit) and sends what `handle_predict` answers: parsing,
errors and serialisation are the route's own function, so both paths give the same answers
(tests/estimator_api/api/test_predict.py runs every case on both). Everything else (the other
routes, OpenAPI, the server-error handler, the request metrics around the lane) is FastAPI's.
PREDICT_FAST_PATH=false sends /predict through the FastAPI route instead."""

from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from estimator_api.api.routes.predict import PATH, handle_predict
from estimator_api.usecases.forecast import ForecastService

Header = tuple[bytes, bytes]
JSON_HEADER = (b"content-type", b"application/json")
# What FastAPI's route-level body limit answers, byte for byte.
TOO_LARGE = b"Content Too Large"
TEXT_HEADER = (b"content-type", b"text/plain; charset=utf-8")


class PredictLane:
    def __init__(self, app: ASGIApp, service: ForecastService, route: APIRoute) -> None:
        self.app = app
        self.service = service
        # The /predict APIRoute: put in scope["route"] as the router would, so the request
        # metrics label these requests with their route template; its body limit applies.
        self.route = route
        assert route.max_body_size is not None, "the /predict route sets max_body_size"
        self.max_body_size = route.max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "POST"):
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route
        try:
            body = await _read_body(receive, self.max_body_size)
        except _BodyTooLarge:
            await _send(send, 413, TOO_LARGE, [TEXT_HEADER])
            return
        if body is None:
            return  # the client went away
        answer = await handle_predict(self.service, body, _content_type(scope))
        headers = [JSON_HEADER]
        for name, value in answer.headers:  # none on a 200
            headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
        await _send(send, answer.status, answer.body, headers)


def _content_type(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return str(value.decode("latin-1"))
    return None


async def _send(send: Send, status: int, content: bytes, headers: list[Header]) -> None:
    headers = [*headers, (b"content-length", b"%d" % len(content))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


class _BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, None if the client disconnected; _BodyTooLarge past `limit` bytes
    (without reading the rest)."""
    chunks = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
