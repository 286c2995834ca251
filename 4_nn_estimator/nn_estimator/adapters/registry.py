"""Read-side registry helpers shared with the api: which version is champion, where its
TorchScript file is, and its walk-forward series. The write side (register, alias, tags) lives
in tracking.py."""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlflow import MlflowClient
from mlflow.artifacts import download_artifacts
from mlflow.exceptions import MlflowException

from nn_estimator.adapters.artifact import TORCHSCRIPT_DIR, TORCHSCRIPT_FILE

CHAMPION_ALIAS = "champion"
# The h = 1 day-by-day walk-forward series of a run (domain/walk_forward_series.py); runs logged
# before it existed lack it.
WALK_FORWARD_ARTIFACT = "evaluation/walk_forward.json"


def model_name(ticker: str) -> str:
    return f"lstm-{ticker.upper()}"


@dataclass(frozen=True)
class ChampionRef:
    name: str
    version: int
    run_id: str


def champion(ticker: str, tracking_uri: str) -> ChampionRef | None:
    """The version holding alias `champion` for `ticker`, or None when there is none yet
    (no registered model, or no alias). Other errors (unreachable server) propagate."""
    name = model_name(ticker)
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    try:
        version = client.get_model_version_by_alias(name, CHAMPION_ALIAS)
    except MlflowException as error:
        if error.error_code in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            return None
        raise
    return ChampionRef(name=name, version=int(version.version), run_id=str(version.run_id))


def download_torchscript(ref: ChampionRef, tracking_uri: str, dst_dir: str | Path) -> Path:
    """Download `torchscript/model.pt` of `ref`'s run into `dst_dir`; returns its path."""
    Path(dst_dir).mkdir(parents=True, exist_ok=True)
    local = download_artifacts(
        run_id=ref.run_id,
        artifact_path=f"{TORCHSCRIPT_DIR}/{TORCHSCRIPT_FILE}",
        dst_path=str(dst_dir),
        tracking_uri=tracking_uri,
    )
    return Path(local)


def load_walk_forward(ref: ChampionRef, tracking_uri: str) -> dict[str, Any] | None:
    """The run's `evaluation/walk_forward.json`, or None when the run has none (trained before
    the series was logged). Other errors (unreachable server) propagate."""
    folder = WALK_FORWARD_ARTIFACT.rsplit("/", 1)[0]
    listed = MlflowClient(tracking_uri=tracking_uri).list_artifacts(ref.run_id, folder)
    if all(item.path != WALK_FORWARD_ARTIFACT for item in listed):
        return None
    with tempfile.TemporaryDirectory(prefix="walk-forward-") as scratch:
        local = download_artifacts(
            run_id=ref.run_id,
            artifact_path=WALK_FORWARD_ARTIFACT,
            dst_path=scratch,
            tracking_uri=tracking_uri,
        )
        document: dict[str, Any] = json.loads(Path(local).read_text())
    return document
