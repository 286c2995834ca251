"""Read-side registry helpers shared with the api: which version is champion, and where its
TorchScript file is. The write side (register, alias, tags) lives in tracking.py."""

from dataclasses import dataclass
from pathlib import Path

from mlflow import MlflowClient
from mlflow.artifacts import download_artifacts
from mlflow.exceptions import MlflowException

from nn_estimator.adapters.artifact import TORCHSCRIPT_DIR, TORCHSCRIPT_FILE

CHAMPION_ALIAS = "champion"


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
