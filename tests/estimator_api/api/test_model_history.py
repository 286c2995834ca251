"""GET /model/walk-forward (the served model's out-of-sample series, read once per version from
its MLflow run) and GET /models (the ticker's versions from the models table, on both
backends): answers, their agreement with what the trainer recorded, and every 4xx/503."""

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from estimator_api.adapters.model_loader import ModelLoader
from estimator_api.usecases.walk_forward import WalkForwardCache
from nn_estimator.adapters.registry import ChampionRef
from nn_estimator.config import TrainConfig
from stock_db import create_db_engine, models
from support.network import closed_url
from support.trained import Store, app_client, build_store, record_champion

NOT_LOGGED = "trained before walk-forward series were logged; retrain to get it"


# --- GET /model/walk-forward ---------------------------------------------------------------


def test_the_series_is_the_served_models_validation_and_holdout_days(
    client: TestClient, store: Store
) -> None:
    response = client.get("/model/walk-forward", params={"ticker": "msft"})
    assert response.status_code == 200, response.text
    body = response.json()
    config = store.config
    assert (body["ticker"], body["version"], body["horizon"]) == ("MSFT", store.first_version, 1)
    assert body["interval"] == config.interval
    points = body["points"]
    assert len(points) == config.val_days + config.eval_days
    dates = [p["date"] for p in points]
    assert dates == sorted(set(dates))  # date-ascending, one point a day
    assert [p["slice"] for p in points] == ["validation"] * config.val_days + [
        "holdout"
    ] * config.eval_days
    assert set(points[0]) == {"date", "slice", "actual", "lstm", "naive", "drift", "lower", "upper"}
    assert all(p["lower"] <= p["lstm"] <= p["upper"] for p in points)

    # The same model and days GET /model reports: nothing on or before train_end is holdout,
    # and the holdout points reproduce the recorded h=1 errors of each forecast.
    served = client.get("/model", params={"ticker": "MSFT"}).json()
    metrics = served["metrics"]
    validation = [p for p in points if p["slice"] == "validation"]
    holdout = [p for p in points if p["slice"] == "holdout"]
    assert validation[-1]["date"] == served["train_end"] < holdout[0]["date"]
    assert (holdout[0]["date"], holdout[-1]["date"]) == (metrics["eval_start"], metrics["eval_end"])
    h1 = metrics["horizons"]["1"]
    for who in ("lstm", "naive", "drift"):
        mae = np.mean([abs(p[who] - p["actual"]) for p in holdout])
        assert mae == pytest.approx(h1[who]["mae"], rel=1e-9), who
    # naive is yesterday's close: each point's naive is the previous point's actual.
    assert all(b["naive"] == a["actual"] for a, b in itertools.pairwise(points))


def test_mlflow_is_read_once_per_served_version(client: TestClient, store: Store) -> None:
    loader = ModelLoader(store.tracking_uri, store.engine)
    reads: list[ChampionRef] = []

    def counting_fetch(ref: ChampionRef) -> dict[str, Any] | None:
        reads.append(ref)
        return loader.walk_forward(ref)

    app = client.app
    previous = app.state.walk_forward
    app.state.walk_forward = WalkForwardCache(counting_fetch)
    try:
        answers = [client.get("/model/walk-forward", params={"ticker": "MSFT"}) for _ in range(3)]
    finally:
        app.state.walk_forward = previous
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == answers[2].json()
    assert [r.version for r in reads] == [store.first_version]


def test_an_mlflow_that_does_not_answer_is_a_503_and_not_remembered(
    client: TestClient, store: Store
) -> None:
    app = client.app
    previous = app.state.walk_forward
    unreachable = ModelLoader(closed_url(), store.engine)
    app.state.walk_forward = WalkForwardCache(unreachable.walk_forward)
    try:
        response = client.get("/model/walk-forward", params={"ticker": "MSFT"})
    finally:
        app.state.walk_forward = previous
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "30"
    assert response.json()["detail"].startswith("could not read evaluation/walk_forward.json")
    assert "try again later" in response.json()["detail"]
    assert client.get("/model/walk-forward", params={"ticker": "MSFT"}).status_code == 200


@pytest.fixture(scope="module")
def older_store(
    tmp_path_factory: pytest.TempPathFactory, sample_frame: pd.DataFrame, api_config: TrainConfig
) -> Iterator[Store]:
    """A champion whose run lacks the series, as every run before it was logged did."""
    root = tmp_path_factory.mktemp("older-store")
    built = build_store(root, sample_frame, api_config)
    logged = list((root / "mlartifacts").rglob("evaluation/walk_forward.json"))
    assert len(logged) == 1
    logged[0].unlink()
    yield built
    built.engine.dispose()


def test_a_model_trained_before_the_series_is_a_404_until_a_retrained_one_serves(
    older_store: Store,
) -> None:
    with app_client(older_store.settings()) as client:
        response = client.get("/model/walk-forward", params={"ticker": "MSFT"})
        assert response.status_code == 404, response.text
        detail = response.json()["detail"]
        assert detail.startswith(f"lstm-MSFT v{older_store.first_version} (served for MSFT)")
        assert detail.endswith(NOT_LOGGED)

        retrained = older_store.train()
        older_store.set_champion(retrained)
        record_champion(older_store.engine, retrained)
        assert client.post("/admin/reload").json()["results"][0]["version"] == retrained
        response = client.get("/model/walk-forward", params={"ticker": "MSFT"})
        assert response.status_code == 200, response.text
        assert response.json()["version"] == retrained


def test_no_model_yet_is_a_503_like_get_model(store: Store, tmp_path: Path) -> None:
    empty_registry = f"sqlite:///{tmp_path / 'mlflow.db'}"
    with app_client(store.settings(mlflow_tracking_uri=empty_registry)) as client:
        response = client.get("/model/walk-forward", params={"ticker": "MSFT"})
        assert response.status_code == 503
        assert response.json() == {"detail": "no model for ticker MSFT yet"}


# --- GET /models ---------------------------------------------------------------------------


def version_row(version: int, status: str, trained_at: dt.datetime, **extra: Any) -> dict:
    return {
        "ticker": "MSFT",
        "name": "lstm-MSFT",
        "version": version,
        "run_id": f"run-{version}",
        "status": status,
        "trained_at": trained_at,
        "train_start": dt.date(2016, 5, 12),
        "train_end": dt.date(2017, 9, 15),
        "metrics": {"n_eval_days": 40},
        "promoted_at": None,
        "gate": None,
        **extra,
    }


def test_versions_newest_first_as_the_table_records_them(
    served_database: str, store: Store
) -> None:
    engine = create_db_engine(served_database)
    later = dt.datetime(2030, 1, 2, 21, 30, tzinfo=dt.UTC)
    rejected_gate = {"decision": "reject", "reasons": ["Not significantly better."], "p_value": 0.4}
    with engine.begin() as connection:
        connection.execute(
            insert(models),
            [
                version_row(store.first_version + 1, "rejected", later, gate=rejected_gate),
                version_row(store.first_version + 2, "retired", later + dt.timedelta(days=1)),
            ],
        )
    engine.dispose()
    with app_client(store.settings(database_url=served_database)) as client:
        response = client.get("/models", params={"ticker": "msft"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ticker"] == "MSFT"
        versions = body["versions"]
        first = store.first_version
        assert [v["version"] for v in versions] == [first + 2, first + 1, first]
        assert [v["status"] for v in versions] == ["retired", "rejected", "champion"]
        newest, rejected, trained = versions
        assert newest["trained_at"] == "2030-01-03T21:30:00Z" and newest["gate"] is None
        assert rejected["gate"] == rejected_gate and rejected["promoted_at"] is None
        # The trained version as the trainer and the gate recorded it.
        served = client.get("/model", params={"ticker": "MSFT"}).json()
        assert trained["name"] == "lstm-MSFT"
        assert (trained["train_start"], trained["train_end"]) == (
            served["train_start"],
            served["train_end"],
        )
        assert trained["metrics"] == served["metrics"]
        assert trained["gate"]["decision"] in ("promote", "reject")
        assert trained["promoted_at"] is not None

        limited = client.get("/models", params={"ticker": "MSFT", "limit": 2}).json()
        assert [v["version"] for v in limited["versions"]] == [first + 2, first + 1]


def test_a_ticker_without_versions_is_an_empty_list(client: TestClient) -> None:
    response = client.get("/models", params={"ticker": "brk-b"})
    assert response.status_code == 200
    assert response.json() == {"ticker": "BRK-B", "versions": []}


def test_a_database_that_does_not_answer_is_a_503(store: Store) -> None:
    unreachable = create_db_engine(f"postgresql+psycopg://suite@{closed_url()[7:]}/suite")
    with app_client(store.settings()) as client:
        client.app.state.engine = unreachable
        response = client.get("/models", params={"ticker": "MSFT"})
        assert response.status_code == 503, response.text
        assert response.json() == {
            "detail": "the database is unavailable (OperationalError); try again later"
        }
        assert response.headers["retry-after"] == "30"
    unreachable.dispose()


# --- the 4xx of both, as a table -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "where"),
    [
        ("/model/walk-forward", {}, 422, ["query", "ticker"]),
        ("/model/walk-forward", {"ticker": ""}, 422, ["query", "ticker"]),
        ("/model/walk-forward", {"ticker": "MS FT"}, 422, ["query", "ticker"]),
        ("/model/walk-forward", {"ticker": "X" * 17}, 422, ["query", "ticker"]),
        ("/model/walk-forward", {"ticker": "AAPL"}, 404, "ticker AAPL is not served here"),
        ("/models", {}, 422, ["query", "ticker"]),
        ("/models", {"ticker": "$MSFT"}, 422, ["query", "ticker"]),
        ("/models", {"ticker": "MSFT", "limit": 0}, 422, ["query", "limit"]),
        ("/models", {"ticker": "MSFT", "limit": 101}, 422, ["query", "limit"]),
        ("/models", {"ticker": "MSFT", "limit": "ten"}, 422, ["query", "limit"]),
    ],
)
def test_refusals(
    client: TestClient, path: str, params: dict[str, Any], status: int, where: Any
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    if status == 422:
        assert detail[0]["loc"] == where
    else:
        assert detail.startswith(where)


def test_the_openapi_document_describes_both(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    walk_forward = paths["/model/walk-forward"]["get"]
    assert set(walk_forward["responses"]) == {"200", "404", "422", "503"}
    versions = paths["/models"]["get"]
    assert set(versions["responses"]) == {"200", "422", "503"}
    limit = next(p for p in versions["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("WalkForwardResponse", "ModelVersionsResponse"):
        assert schemas[name]["examples"], name
