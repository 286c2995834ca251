"""The shepherd's app on the test database (both backends), its lifespan run by TestClient."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shepherd.config import Settings
from shepherd.main import create_app
from shepherd.usecases.background import CycleStarter
from support.network import closed_url

TOKEN = "s3cret-token"
ClientFactory = Callable[..., TestClient]


class RecordingRunner:
    """Stands in for the thread pool: records what POST /runs asked to start."""

    def __init__(self) -> None:
        self.started: list[tuple[str, bool]] = []
        self.stopped = False

    def start(self, ticker: str, force: bool) -> int:
        self.started.append((ticker, force))
        return 40 + len(self.started)

    def shutdown(self) -> None:
        self.stopped = True


@pytest.fixture
def runner() -> RecordingRunner:
    return RecordingRunner()


@pytest.fixture
def make_client(database_url: str) -> Iterator[ClientFactory]:
    """TestClient of the real app; settings as keywords (other services: closed ports)."""
    with ExitStack() as stack:

        def factory(
            runner: CycleStarter | None = None, clock: Any = None, **overrides: Any
        ) -> TestClient:
            values: dict[str, Any] = {
                "database_url": database_url,
                "tickers": ["MSFT"],
                "admin_token": TOKEN,
                "shepherd_schedule": "off",
                "load_data_url": closed_url(),
                "estimator_url": closed_url(),
                "metrics_url": closed_url(),
                "http_attempts": 1,
            }
            settings = Settings(**{**values, **overrides})
            app = create_app(settings, clock=clock, runner=runner)
            return stack.enter_context(TestClient(app))

        yield factory
