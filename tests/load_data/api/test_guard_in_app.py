"""The guard (stock_db.guard) in front of POST /load: token first, then the body cap."""

import json

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support.yahoo import ClientFactory, load_body, stored_count

JSON = {"content-type": "application/json"}


def test_unauthenticated_big_bodies_are_refused_before_the_size(
    make_client: ClientFactory, engine: Engine
) -> None:
    client: TestClient = make_client(admin_token="s3cret")
    big = json.dumps(load_body(colour="x" * 100_000))
    assert client.post("/load", content=big, headers=JSON).status_code == 401
    wrong = {**JSON, "Authorization": "Bearer nope"}
    assert client.post("/load", content=big, headers=wrong).status_code == 403
    right = {**JSON, "Authorization": "Bearer s3cret"}
    too_big = client.post("/load", content=big, headers=right)
    assert too_big.status_code == 413
    assert "16384 bytes" in too_big.json()["detail"]
    assert (
        client.post("/load", json=load_body(start="2017-11-01"), headers=right).json()["inserted"]
        == 8
    )
    assert stored_count(engine) == 8


def test_the_guard_answers_like_stock_db_auth(make_client: ClientFactory) -> None:
    """Same status, body and header as stock_db.auth's AdminDep, which still guards the route."""
    client: TestClient = make_client(admin_token="s3cret")
    missing = client.post("/load", json=load_body())
    assert missing.json() == {"detail": "this action needs 'Authorization: Bearer <ADMIN_TOKEN>'"}
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    wrong = client.post("/load", json=load_body(), headers={"Authorization": "Bearer nope"})
    assert wrong.json() == {"detail": "wrong bearer token (ADMIN_TOKEN)"}
