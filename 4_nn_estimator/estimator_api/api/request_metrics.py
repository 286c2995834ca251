"""Request counts and latency by route, method and status class, as a pure ASGI middleware.

The same two metrics prometheus-fastapi-instrumentator exported (same names and labels), at
a fraction of its cost per request: the instrumentator matches every request against all
routes again to find its template, while the router has already put the matched route in
`scope["route"]`; and the label children are looked up once, not on every request. Measured
in bench/bench_api.py: the instrumentator was about a fifth of /predict's time."""

import time
from collections.abc import Iterable

from prometheus_client import Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "none"


class RequestMetrics:
    def __init__(
        self,
        app: ASGIApp,
        requests: Counter,
        duration: Histogram,
        excluded_handlers: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.requests = requests
        self.duration = duration
        self.excluded = frozenset(excluded_handlers)
        self._children: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        except HTTPException as error:  # answered by an outer layer (e.g. 413 body too large)
            status = error.status_code
            raise
        finally:
            handler = _handler(scope, status)
            if handler not in self.excluded:
                counter, histogram = self._metrics(handler, scope["method"], status)
                counter.inc()
                histogram.observe(time.perf_counter() - started)

    def _metrics(self, handler: str, method: str, status: int) -> tuple[Counter, Histogram]:
        key = (handler, method, f"{status // 100}xx")
        children = self._children.get(key)
        if children is None:
            children = (self.requests.labels(*key), self.duration.labels(*key))
            self._children[key] = children
        return children


def _handler(scope: Scope, status: int) -> str:
    route = scope.get("route")
    if route is not None:
        return str(route.path)
    # FastAPI's router puts only its API routes in the scope; its plain routes (/openapi.json,
    # /docs) have no path parameters, so their path is their template. Anything else unmatched
    # is one label, not one per path a scanner tries.
    return UNMATCHED if status == 404 else str(scope["path"])
