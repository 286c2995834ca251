"""Hot reload: swaps under load without a failed request, survives a broken new version,
and follows the registry alias by polling."""

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
from mlflow import MlflowClient
from prometheus_client.parser import text_string_to_metric_families

from nn_estimator.adapters.artifact import TORCHSCRIPT_DIR, TORCHSCRIPT_FILE
from nn_estimator.adapters.registry import model_name
from nn_estimator.config import TrainConfig
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
    versions: tuple[Store, int, int, int],
) -> None:
    store, first, second, _ = versions
    store.set_champion(first)
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
                store.set_champion(version)
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
    versions: tuple[Store, int, int, int],
) -> None:
    store, first, _, broken = versions
    store.set_champion(first)
    with app_client(store.settings()) as client:
        store.set_champion(broken)
        result = client.post("/admin/reload").json()["results"][0]
        assert result["outcome"] == "failed"
        assert result["version"] == broken
        assert result["error"]

        response = client.post("/predict", json={"ticker": TICKER, "horizon": 2})
        assert response.status_code == 200
        assert response.json()["model"]["version"] == first
        assert client.get("/model").json()["version"] == first
        assert client.get("/ready").json()["ready"] is True

        # An explicit reload retries (and counts) again; the old model still serves.
        assert client.post("/admin/reload").json()["results"][0]["outcome"] == "failed"
        counts = reload_counts(client.get("/metrics").text)
        assert counts == {"success": 1.0, "failure": 2.0}
    store.set_champion(first)


def test_polling_follows_the_alias_and_skips_a_known_broken_version(
    versions: tuple[Store, int, int, int],
) -> None:
    store, first, second, broken = versions
    store.set_champion(first)
    with app_client(store.settings(reload_poll_seconds=0.2)) as client:
        assert client.get("/model").json()["version"] == first
        store.set_champion(second)
        assert wait_for(lambda: client.get("/model").json()["version"] == second)

        store.set_champion(broken)
        assert wait_for(lambda: reload_counts(client.get("/metrics").text).get("failure") == 1)
        # Later polls do not hammer the registry with the same broken version.
        assert not wait_for(
            lambda: reload_counts(client.get("/metrics").text).get("failure", 0) > 1, timeout=1
        )
        assert client.get("/model").json()["version"] == second
    store.set_champion(first)
