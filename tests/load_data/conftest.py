"""Fixtures for the load_data tests: the real app on the real database (both backends)."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from load_data.main import create_app
from support.yahoo import ClientFactory, settings_for


@pytest.fixture
def make_client(database_url: str) -> Iterator[ClientFactory]:
    """Builds a TestClient of the real app on the test database; settings as keywords."""
    with ExitStack() as stack:

        def factory(
            yahoo: Callable[..., Any] | None = None,
            clock: Callable[[], datetime] | None = None,
            **overrides: Any,
        ) -> TestClient:
            settings = settings_for(database_url, **overrides)
            app = create_app(settings, yahoo_download=yahoo, clock=clock)
            return stack.enter_context(TestClient(app))

        yield factory


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()
