"""GET /model, /health, /ready, /metrics and the admin token."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from stock_db import create_db_engine
from support.network import free_port
from support.trained import Store, app_client


def test_health_is_liveness_and_the_database(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_degraded_while_the_database_does_not_answer(store: Store) -> None:
    unreachable = create_db_engine(f"postgresql+psycopg://suite@127.0.0.1:{free_port()}/suite")
    with app_client(store.settings()) as client:
        # The served model and closes stay in memory; only the database goes away.
        client.app.state.engine = unreachable
        response = client.get("/health")
        assert response.status_code == 503
        assert response.json() == {
            "status": "degraded",
            "database": "unreachable (OperationalError)",
        }
        assert client.get("/ready").status_code == 200  # a model is loaded all the same
    unreachable.dispose()


def test_ready_with_a_model(client: TestClient, store: Store) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "models": {"MSFT": store.first_version},
        "degraded": {},
    }


def test_model_describes_the_served_version(client: TestClient, store: Store) -> None:
    response = client.get("/model", params={"ticker": "msft"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "lstm-MSFT"
    assert body["version"] == store.first_version
    assert body["alias"] == "champion"
    assert body["input_length"] == store.config.input_length
    assert body["max_horizon"] == store.config.max_horizon
    assert body["train_end"] <= "2017-11-10"
    # The evaluation the trainer stored in the models table, with the naive baseline beside.
    h1 = body["metrics"]["horizons"]["1"]
    assert set(h1) >= {"lstm", "naive", "coverage"}
    assert client.get("/model").json()["version"] == store.first_version  # default ticker


def test_model_for_an_unknown_ticker(client: TestClient) -> None:
    response = client.get("/model", params={"ticker": "AAPL"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "ticker"]


def test_without_any_champion_the_service_starts_but_is_not_ready(
    store: Store, tmp_path: Path
) -> None:
    empty_registry = f"sqlite:///{tmp_path / 'mlflow.db'}"
    with app_client(store.settings(mlflow_tracking_uri=empty_registry)) as client:
        assert client.get("/health").status_code == 200
        ready = client.get("/ready")
        assert ready.status_code == 503
        assert ready.json() == {"ready": False, "models": {}, "degraded": {}}
        predict = client.post("/predict", json={"ticker": "MSFT"})
        assert predict.status_code == 503
        assert predict.json()["detail"] == "no model for ticker MSFT yet"
        assert client.get("/model").status_code == 503
        reload = client.post("/admin/reload").json()
        assert reload["results"] == [
            {"ticker": "MSFT", "outcome": "no_champion", "version": None, "error": None}
        ]


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("Basic czNjcmV0", 401),  # not a bearer token: as good as none
        ("Bearer nope", 403),
        ("Bearer s3cret-but-longer", 403),
        ("Bearer s3cret", 200),
    ],
)
def test_admin_reload_needs_the_token_when_one_is_set(
    store: Store, authorization: str | None, status: int
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with app_client(store.settings(admin_token="s3cret")) as client:
        response = client.post("/admin/reload", headers=headers)
        assert response.status_code == status, response.text
        if status == 401:
            assert response.headers["www-authenticate"] == "Bearer"
        if status == 200:
            assert response.json()["results"] == [
                {
                    "ticker": "MSFT",
                    "outcome": "unchanged",
                    "version": store.first_version,
                    "error": None,
                }
            ]


def test_admin_reload_is_open_without_a_token(client: TestClient, store: Store) -> None:
    response = client.post("/admin/reload")
    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "unchanged"


def test_the_openapi_document_describes_health_and_the_admin_token(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"200", "503"} <= set(paths["/health"]["get"]["responses"])
    reload = paths["/admin/reload"]["post"]
    assert {"200", "401", "403"} <= set(reload["responses"])
    assert reload["security"] == [{"HTTPBearer": []}]


def samples(client: TestClient) -> dict[str, list[Sample]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {f.name: f.samples for f in text_string_to_metric_families(response.text)}


def test_prometheus_exposition(store: Store) -> None:
    with app_client(store.settings()) as client:
        for _ in range(3):
            client.post("/predict", json={"ticker": "MSFT", "horizon": 2})
        client.post("/predict", json={"ticker": "AAPL"})
        client.get("/openapi.json")
        client.get("/model", params={"ticker": "MSFT"})
        for path in ("/wp-login.php", "/.env"):
            client.get(path)
        families = samples(client)

    inference = families["nn_estimator_inference_seconds"]
    buckets = {s.labels["le"] for s in inference if s.name.endswith("_bucket")}
    assert {"0.0001", "0.00025", "0.0005", "0.001"} <= buckets  # fine enough for ~0.2 ms
    count = next(s for s in inference if s.name.endswith("_count"))
    assert count.labels == {"ticker": "MSFT"} and count.value == 3
    total = next(s for s in inference if s.name.endswith("_sum"))
    assert 0 < total.value < 3  # seconds, not milliseconds

    info = families["nn_estimator_model_info"]
    assert [(s.labels, s.value) for s in info] == [
        ({"ticker": "MSFT", "version": str(store.first_version)}, 1.0)
    ]
    reloads = [s for s in families["nn_estimator_model_reloads"] if s.name.endswith("_total")]
    assert [(s.labels, s.value) for s in reloads] == [
        ({"ticker": "MSFT", "outcome": "success"}, 1.0)
    ]

    requests = [s for s in families["nn_estimator_http_requests"] if s.name.endswith("_total")]
    by_status = {(s.labels["handler"], s.labels["status"]): s.value for s in requests}
    assert by_status[("/predict", "2xx")] == 3
    assert by_status[("/predict", "4xx")] == 1
    assert by_status[("/openapi.json", "2xx")] == 1
    assert by_status[("/model", "2xx")] == 1
    assert by_status[("none", "4xx")] == 2  # unknown paths share one label
    assert "nn_estimator_http_request_duration_seconds" in families
