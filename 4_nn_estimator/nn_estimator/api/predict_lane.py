"""POST /predict answered in a pure ASGI middleware, before FastAPI's router.

Why: in bench/bench_api.py the same forecast served through the FastAPI route (routing,
dependency solving, request/response wrappers, exception-handling layers) reached about half
the throughput of a no-op FastAPI endpoint; answered here it reaches about 90%. Everything
else (the other routes, OpenAPI, error handlers, request metrics around it)
is FastAPI's as before, and the FastAPI route stays as the documented contract:
tests/nn_estimator/api_service/test_predict.py runs every case against both and expects the
same answers. PREDICT_FAST_PATH=false routes /predict through FastAPI instead.

Only JSON bodies take this lane; anything else falls through to the route, which answers with
FastAPI's own errors."""

from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nn_estimator.api.errors import (
    RETRY_AFTER_SECONDS,
    input_error_detail,
    is_json_content_type,
    json_bytes,
    validation_detail,
)
from nn_estimator.api.forecasting import InputError
from nn_estimator.api.routes.predict import answer
from nn_estimator.api.schemas import PredictRequest
from nn_estimator.api.service import ForecastService, NoModelError

PATH = "/predict"
Header = tuple[bytes, bytes]
JSON_HEADER = (b"content-type", b"application/json")
RETRY_AFTER = (b"retry-after", RETRY_AFTER_SECONDS.encode())
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
        if not (
            scope["type"] == "http"
            and scope["path"] == PATH
            and scope["method"] == "POST"
            and _is_json(scope)
        ):
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
        status, content, headers = await self._answer(body)
        await _send(send, status, content, [JSON_HEADER, *headers])

    async def _answer(self, body: bytes) -> tuple[int, bytes, list[Header]]:
        try:
            request = PredictRequest.model_validate_json(body)
            return 200, await answer(self.service, request), []
        except ValidationError as error:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
            return 422, json_bytes({"detail": validation_detail(errors)}), []
        except InputError as error:
            return 422, json_bytes({"detail": input_error_detail(error)}), []
        except NoModelError as error:
            return 503, json_bytes({"detail": str(error)}), [RETRY_AFTER]


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return is_json_content_type(value.decode("latin-1"))
    return False


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
