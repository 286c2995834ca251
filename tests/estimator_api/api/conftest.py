"""A database the api can serve from besides the store's own, on either backend."""

from collections.abc import Callable

import pytest

from support.trained import Store


@pytest.fixture
def served_database(database_url: str, store: Store, copy_to: Callable[[Store, str], None]) -> str:
    """`database_url` (each backend, emptied) with the store's prices and `models` rows."""
    copy_to(store, database_url)
    return database_url
