"""Fixtures for the load_data tests: the real app on the real database (both backends)."""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from load_data.main import create_app
from support.yahoo import ClientFactory, FakeDownload, settings_for


@pytest.fixture
def make_client(database_url: str) -> Iterator[ClientFactory]:
    """Builds a TestClient of the real app on the test database; settings as keywords."""
    with ExitStack() as stack:

        def factory(yahoo: FakeDownload | None = None, **overrides: Any) -> TestClient:
            app = create_app(settings_for(database_url, **overrides), yahoo_download=yahoo)
            return stack.enter_context(TestClient(app))

        yield factory


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()
