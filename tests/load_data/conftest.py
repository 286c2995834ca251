"""Fixtures for the load_data tests: the real app on the real database (both backends)."""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from load_data.config import Settings
from load_data.main import create_app
from support.yahoo import ClientFactory, FakeDownload


@pytest.fixture
def make_client(database_url: str) -> Iterator[ClientFactory]:
    """Builds a TestClient of the real app on the test database; settings as keywords."""
    with ExitStack() as stack:

        def factory(yahoo: FakeDownload | None = None, **overrides: Any) -> TestClient:
            values: dict[str, Any] = {
                "database_url": database_url,
                "price_source": "sample",
                "admin_token": None,
                "yahoo_attempts": 3,
                "yahoo_backoff_seconds": 0,
                **overrides,
            }
            app = create_app(Settings(**values), yahoo_download=yahoo)
            return stack.enter_context(TestClient(app))

        yield factory


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()
