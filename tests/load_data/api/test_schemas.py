"""The OpenAPI document: what it shows a caller of POST /load is what the service does."""

from fastapi.testclient import TestClient

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
    assert sorted(load["responses"]) == ["200", "401", "403", "404", "422", "502", "503"]
    assert load["security"] == [{"HTTPBearer": []}]
