"""Property-based fuzzing of every operation against the service's own OpenAPI document
(schemathesis): whatever the generated request, no 5xx, and every answer matches its declared
status, content type and schema. Bounded for the normal test run: SQLite, the bundled sample
(nothing leaves the machine), 50 examples per operation.

Not checked: that every schema-valid request is accepted (positive_data_acceptance). The
loader's business rules (no range starting in the future or wider than 50 years, the sample
has only MSFT, which sources a request may name) are not expressible in OpenAPI and answer 422
naming the field, which is the contract.

The app is built at import (schemathesis reads its schema while collecting; its lazy
`from_fixture` loader does not run under this pytest), on a SQLite file of its own."""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from load_data.main import create_app
from support.yahoo import load_body, settings_for

TOKEN = "fuzz-token"
_FOLDER = tempfile.TemporaryDirectory(prefix="load_data_fuzz_")
APP = create_app(settings_for(f"sqlite:///{Path(_FOLDER.name) / 'fuzz.db'}", admin_token=TOKEN))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.auth()
class _AdminToken:
    """ADMIN_TOKEN on the requests that declare the bearer scheme (schemathesis also sends
    them without it, expecting 401)."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return TOKEN

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@pytest.fixture(scope="module", autouse=True)
def _database_with_rows() -> Iterator[None]:
    with TestClient(APP) as client:  # runs the lifespan: the schema is created
        auth = {"Authorization": f"Bearer {TOKEN}"}
        client.post("/load", json=load_body(start="2017-11-01"), headers=auth)  # to read back
        yield
    _FOLDER.cleanup()


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_operation_answers_within_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
