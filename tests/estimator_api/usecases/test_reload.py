"""Hot reload: swaps under load without a failed request, survives a broken new version,
follows the registry alias by polling, serves only what the gate promoted (the `models` table),
and falls back to the last good version when the champion cannot be served."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from mlflow import MlflowClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select, update

from nn_estimator.adapters.artifact import TORCHSCRIPT_DIR, TORCHSCRIPT_FILE
from nn_estimator.adapters.registry import model_name
from nn_estimator.config import TrainConfig
from stock_db import models, prices
from support.network import wait_for
from support.sample import TICKER
from support.trained import Store, app_client, build_store, running_server

NAME = model_name(TICKER)


@pytest.fixture(scope="module")
def versions(
    tmp_path_factory: pytest.TempPathFactory, sample_frame: pd.DataFrame, api_config: TrainConfig
) -> Iterator[tuple[Store, int, int, int]]:
    """This module moves the alias, so it has its own store: two real versions and a third
    whose TorchScript file is corrupt bytes."""
    store = build_store(tmp_path_factory.mktemp("reload-store"), sample_frame, api_config)
    second = store.train()
    broken = register_broken_version(store, tmp_path_factory.mktemp("broken"))
    yield store, store.first_version, second, broken
    store.engine.dispose()


@pytest.fixture
def crown(promote: Callable[..., None]) -> Callable[[Store, int], None]:
    """Promote `version` as the gate does: the models table first, then the alias."""

    def crown(store: Store, version: int) -> None:
        promote(store.engine, version, run_id=run_of(store, version))
        store.set_champion(version)

    return crown


def run_of(store: Store, version: int) -> str:
    client = MlflowClient(tracking_uri=store.tracking_uri, registry_uri=store.tracking_uri)
    return str(client.get_model_version(NAME, str(version)).run_id)


def set_status(store: Store, version: int, status: str) -> None:
    """Rewrite a version's models row (as if the gate had decided `status`)."""
    values: dict[str, Any] = {"status": status}
    if status == "rejected":
        values["promoted_at"] = None
    with store.engine.begin() as connection:
        connection.execute(
            update(models).where(models.c.name == NAME, models.c.version == version).values(values)
        )


def register_broken_version(store: Store, scratch: Path) -> int:
    corrupt = scratch / TORCHSCRIPT_FILE
    corrupt.write_bytes(b"this is not a TorchScript archive")
    client = MlflowClient(tracking_uri=store.tracking_uri, registry_uri=store.tracking_uri)
    experiment = client.get_experiment_by_name(NAME)
    assert experiment is not None
    run = client.create_run(experiment.experiment_id, run_name="corrupt-artifact")
    client.log_artifact(run.info.run_id, str(corrupt), TORCHSCRIPT_DIR)
    client.set_terminated(run.info.run_id)
    version = client.create_model_version(
        NAME, source=f"runs:/{run.info.run_id}/{TORCHSCRIPT_DIR}", run_id=run.info.run_id
    )
    return int(version.version)


def reload_counts(text: str) -> dict[str, float]:
    for family in text_string_to_metric_families(text):
        if family.name == "nn_estimator_model_reloads":
            return {
                s.labels["outcome"]: s.value for s in family.samples if s.name.endswith("_total")
            }
    return {}


def test_reload_under_concurrent_requests_drops_nothing(
    versions: tuple[Store, int, int, int], crown: Callable[[Store, int], None]
) -> None:
    store, first, second, _ = versions
    crown(store, first)
    statuses: Counter[int] = Counter()
    served: Counter[int] = Counter()
    errors: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def hammer(base: str, body: dict[str, object]) -> None:
        with httpx.Client(base_url=base, timeout=10) as http:
            while not stop.is_set():
                try:
                    response = http.post("/predict", json=body)
                except httpx.HTTPError as error:
                    with lock:
                        errors.append(repr(error))
                    continue
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code == 200:
                        served[response.json()["model"]["version"]] += 1

    with running_server(store.settings()) as base:
        history = {"ticker": TICKER, "history": [80.0 + 0.1 * i for i in range(40)]}
        bodies = [{"ticker": TICKER, "horizon": 5}, history] * 2
        threads = [threading.Thread(target=hammer, args=(base, b)) for b in bodies]
        for thread in threads:
            thread.start()
        outcomes = []
        with httpx.Client(base_url=base, timeout=60) as admin:
            for version in (second, first, second, first, second):
                crown(store, version)
                outcomes.append(admin.post("/admin/reload").json()["results"][0]["outcome"])
            metrics_text = admin.get("/metrics").text
        stop.set()
        for thread in threads:
            thread.join()

    assert outcomes == ["loaded"] * 5
    assert errors == []
    assert set(statuses) == {200}, statuses
    assert set(served) == {first, second}  # requests were answered by both, across swaps
    assert reload_counts(metrics_text) == {"success": 6.0}  # start-up + 5 swaps


def test_a_broken_new_version_leaves_the_old_one_serving(
    versions: tuple[Store, int, int, int], crown: Callable[[Store, int], None]
) -> None:
    store, first, _, broken = versions
    crown(store, first)
    with app_client(store.settings()) as client:
        crown(store, broken)  # promoted by the gate, but its file is corrupt
        result = client.post("/admin/reload").json()["results"][0]
        assert result["outcome"] == "failed"
        assert result["version"] == broken
        assert result["error"]

        response = client.post("/predict", json={"ticker": TICKER, "horizon": 2})
        assert response.status_code == 200
        assert response.json()["model"]["version"] == first
        model = client.get("/model").json()
        assert model["version"] == first
        assert model["alias"] is None and model["champion_version"] == broken
        assert model["serving_reason"].startswith(f"serving v{first}: champion v{broken} failed")
        ready = client.get("/ready").json()
        assert ready["ready"] is True
        assert ready["degraded"]["MSFT"] == model["serving_reason"]

        # An explicit reload retries (and counts) again; the old model still serves.
        assert client.post("/admin/reload").json()["results"][0]["outcome"] == "failed"
        counts = reload_counts(client.get("/metrics").text)
        assert counts == {"success": 1.0, "failure": 2.0}

        crown(store, first)  # back to a good champion: nothing degraded any more
        assert client.post("/admin/reload").json()["results"][0]["outcome"] == "unchanged"
        assert client.get("/ready").json()["degraded"] == {}
        model = client.get("/model").json()
        assert model["alias"] == "champion" and model["serving_reason"] is None


def test_polling_follows_the_alias_and_skips_a_known_broken_version(
    versions: tuple[Store, int, int, int], crown: Callable[[Store, int], None]
) -> None:
    store, first, second, broken = versions
    crown(store, first)
    with app_client(store.settings(reload_poll_seconds=0.2)) as client:
        assert client.get("/model").json()["version"] == first
        crown(store, second)
        assert wait_for(lambda: client.get("/model").json()["version"] == second)

        crown(store, broken)
        assert wait_for(lambda: reload_counts(client.get("/metrics").text).get("failure") == 1)
        # Later polls do not hammer the registry with the same broken version.
        assert not wait_for(
            lambda: reload_counts(client.get("/metrics").text).get("failure", 0) > 1, timeout=1
        )
        assert client.get("/model").json()["version"] == second
    crown(store, first)


def refusal_counts(text: str) -> dict[str, float]:
    for family in text_string_to_metric_families(text):
        if family.name == "nn_estimator_model_refusals":
            return {
                s.labels["reason"]: s.value for s in family.samples if s.name.endswith("_total")
            }
    return {}


def test_an_alias_moved_outside_the_gate_is_refused_until_the_table_records_it(
    versions: tuple[Store, int, int, int],
    crown: Callable[[Store, int], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, first, second, _ = versions
    crown(store, first)
    set_status(store, second, "rejected")
    with app_client(store.settings(reload_poll_seconds=0.2)) as client:
        # One unauthenticated call to MLflow, as anyone on the network could make.
        MlflowClient(tracking_uri=store.tracking_uri).set_registered_model_alias(
            NAME, "champion", str(second)
        )
        assert wait_for(lambda: refusal_counts(client.get("/metrics").text), timeout=5)
        # The poll refuses once and does not re-count the same version every round.
        assert not wait_for(
            lambda: refusal_counts(client.get("/metrics").text) != {"not_champion": 1.0}, 1
        )
        assert client.post("/predict", json={"ticker": TICKER}).json()["model"]["version"] == first
        model = client.get("/model").json()
        assert (model["version"], model["alias"], model["champion_version"]) == (
            first,
            None,
            second,
        )
        assert model["status"] == "champion"
        assert f"champion v{second} refused" in model["serving_reason"]
        assert "'rejected'" in model["serving_reason"]
        assert client.get("/ready").json()["degraded"] == {"MSFT": model["serving_reason"]}
        refused = [r for r in caplog.records if r.levelname == "ERROR" and "refusing" in r.message]
        assert refused and f"version {second}" in refused[0].message

        # The admin reload re-checks (and counts) it: still refused.
        result = client.post("/admin/reload").json()["results"][0]
        assert (result["outcome"], result["version"]) == ("refused", second)
        assert refusal_counts(client.get("/metrics").text) == {"not_champion": 2.0}

        crown(store, second)  # now the gate's decision: served
        assert wait_for(lambda: client.get("/model").json()["version"] == second, timeout=5)
        model = client.get("/model").json()
        assert model["alias"] == "champion" and model["serving_reason"] is None
        assert client.get("/ready").json()["degraded"] == {}
    crown(store, first)


def test_a_version_missing_from_the_table_is_refused(
    versions: tuple[Store, int, int, int], crown: Callable[[Store, int], None]
) -> None:
    store, first, _, broken = versions
    crown(store, first)
    with store.engine.begin() as connection:  # the broken version has no row unless crowned
        connection.execute(models.delete().where(models.c.version == broken))
    with app_client(store.settings()) as client:
        store.set_champion(broken)
        result = client.post("/admin/reload").json()["results"][0]
        assert (result["outcome"], result["version"]) == ("refused", broken)
        assert "not in the models table" in result["error"]
        assert refusal_counts(client.get("/metrics").text) == {"not_recorded": 1.0}
        assert client.get("/model").json()["version"] == first
    crown(store, first)


def test_at_restart_a_champion_that_fails_to_load_falls_back_to_the_last_good_version(
    versions: tuple[Store, int, int, int], crown: Callable[[Store, int], None]
) -> None:
    store, first, second, broken = versions
    crown(store, second)
    crown(store, broken)  # promoted by the gate, then its file turns out corrupt
    with app_client(store.settings()) as client:
        ready = client.get("/ready")
        assert ready.status_code == 200
        reason = ready.json()["degraded"]["MSFT"]
        assert reason.startswith(f"serving v{second}: champion v{broken} failed to load")
        model = client.get("/model").json()
        assert (model["version"], model["status"], model["serving_reason"]) == (
            second,
            "retired",
            reason,
        )
        history = {"ticker": TICKER, "history": [80.0 + 0.1 * i for i in range(40)]}
        assert client.post("/predict", json=history).json()["model"]["version"] == second
    crown(store, first)


def test_at_restart_a_refused_alias_falls_back_to_the_recorded_champion(
    versions: tuple[Store, int, int, int], crown: Callable[[Store, int], None]
) -> None:
    store, first, second, _ = versions
    crown(store, first)
    set_status(store, second, "rejected")
    store.set_champion(second)  # by hand, outside the gate
    with app_client(store.settings()) as client:
        model = client.get("/model").json()
        assert model["version"] == first
        assert model["alias"] is None
        assert f"champion v{second} refused" in model["serving_reason"]
    crown(store, first)


@pytest.fixture
def bad_newest_close(versions: tuple[Store, int, int, int]) -> Iterator[None]:
    """The newest stored close replaced by one the table's checks let through (Infinity)."""
    store = versions[0]
    with store.engine.begin() as connection:
        newest = connection.execute(select(func.max(prices.c.date))).scalar_one()
        where = (prices.c.ticker == TICKER) & (prices.c.date == newest)
        good = connection.execute(select(prices.c.close).where(where)).scalar_one()
        connection.execute(update(prices).where(where).values(close=float("inf")))
    yield
    with store.engine.begin() as connection:
        connection.execute(update(prices).where(where).values(close=good))


def test_a_bad_stored_close_does_not_make_the_champion_unservable(
    versions: tuple[Store, int, int, int],
    crown: Callable[[Store, int], None],
    bad_newest_close: None,
) -> None:
    store, first, _, _ = versions
    crown(store, first)
    with app_client(store.settings()) as client:
        assert client.get("/ready").json() == {
            "ready": True,
            "models": {"MSFT": first},
            "degraded": {},
        }
        history = {"ticker": TICKER, "history": [80.0 + 0.1 * i for i in range(40)], "horizon": 2}
        response = client.post("/predict", json=history)
        assert response.status_code == 200, response.text
        assert response.json()["model"]["version"] == first
