"""Property-based fuzzing of the whole api from its own OpenAPI document (schemathesis): the
app started with its lifespan on the tiny trained store, a bounded number of generated cases
per operation, and every answer must be documented, match its schema, and never be a 5xx."""

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from prometheus_client import CollectorRegistry
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.types import ASGIApp, Receive, Scope, Send

from estimator_api.config import Settings
from estimator_api.main import create_app
from support.trained import Store

MAX_EXAMPLES = 50


class LateApp:
    """The app under test, bound when the store exists (a session fixture): schemathesis needs
    the schema at import time, and its pytest fixture loader does not work with pytest 9."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the served_app fixture binds the app"
        await self.app(scope, receive, send)


LATE_APP = LateApp()
# The document does not depend on the store: an app that is never started describes it.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(database_url="sqlite://", tickers=["MSFT"]), CollectorRegistry()).openapi()
)
schema.app = LATE_APP  # calls go in-process, and the first one starts the lifespan


@pytest.fixture(scope="module", autouse=True)
def served_app(store: Store) -> Iterator[None]:
    # With ADMIN_TOKEN set, as deployed: the fuzzer has no token, so /admin/reload must be 401.
    settings = store.settings(admin_token="fuzzing-without-this-token")
    LATE_APP.app = create_app(settings, registry=CollectorRegistry())
    yield
    shutdown_lifespans()  # the app's shutdown: drains its prediction queue
    LATE_APP.app = None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_is_documented_and_never_a_server_error(case: schemathesis.Case) -> None:
    # Every check but "schema-valid data is accepted": validity here also depends on what is
    # served, which a static schema cannot say (the ticker must be in TICKERS, the horizon at
    # most the model's max_horizon, the date after the first full window, date XOR history),
    # and those are documented 422s.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
