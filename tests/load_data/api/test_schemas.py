"""The OpenAPI document: what it shows a caller of POST /load is what the service does."""

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from load_data.api.schemas import LoadRequest
from support.yahoo import ClientFactory


def test_the_documented_load_examples_load(make_client: ClientFactory) -> None:
    client: TestClient = make_client()
    schema = client.get("/openapi.json").json()
    examples = schema["components"]["schemas"]["LoadRequest"]["examples"]
    assert len(examples) == 2
    answers = [client.post("/load", json=example) for example in examples]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert [answer.json()["inserted"] for answer in answers] == [1980, 0]  # the same range


def test_load_documents_its_answers_and_the_bearer_token(make_client: ClientFactory) -> None:
    load = make_client().get("/openapi.json").json()["paths"]["/load"]["post"]
    assert sorted(load["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "413",
        "415",
        "422",
        "502",
        "503",
    ]
    assert load["security"] == [{"HTTPBearer": []}]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ticker", 42),
        ("ticker", True),
        ("ticker", ["MSFT"]),
        ("ticker", None),
        ("start_date", 20100101),
        ("start_date", 1262304000.0),
        ("start_date", True),
        ("start_date", ["2010-01-01"]),
        ("start_date", {"year": 2010}),
        ("start_date", "2010-01-01T00:00:00"),
        ("end_date", "10 Nov 2017"),
        ("source", 1),
        ("source", False),
        ("source", ["sample"]),
    ],
)
def test_load_requests_are_parsed_strictly(field: str, value: object) -> None:
    """JSON values are never coerced into a field's type: the field is named in the error."""
    body = {"ticker": "MSFT", "start_date": "2010-01-01", "end_date": "2017-11-10", field: value}
    with pytest.raises(ValidationError) as error:
        LoadRequest.model_validate(json.loads(json.dumps(body)))
    assert [e["loc"] for e in error.value.errors()] == [(field,)]
