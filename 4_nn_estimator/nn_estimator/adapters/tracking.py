"""Adapter: everything the training pipeline and the study write to MLflow (experiments, runs
and what they log, the registered pytorch model, tags, the alias). The use cases call MLflow only
through these functions; the read side the api needs is registry.py."""

import logging
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mlflow
import mlflow.pytorch
import numpy as np
import torch
from mlflow import MlflowClient
from mlflow.entities import RunTag
from mlflow.models import infer_signature
from sqlalchemy.engine import make_url

from nn_estimator.adapters.artifact import forward_numpy
from nn_estimator.adapters.registry import CHAMPION_ALIAS
from nn_estimator.config import TrainConfig
from nn_estimator.domain.model import LSTMForecaster
from nn_estimator.errors import TrackingUnavailableError

log = logging.getLogger(__name__)

# Without explicit pip_requirements log_model spends ~20 s inferring them; with them ~2 s.
PIP_REQUIREMENTS = [
    f"torch=={torch.__version__.split('+')[0]}",
    f"mlflow=={mlflow.__version__}",
    f"numpy=={np.__version__}",
]


def check_reachable(tracking_uri: str, timeout_seconds: float = 3.0) -> None:
    """Fail fast (the MLflow client retries for minutes) when an http store does not answer."""
    if not tracking_uri.startswith(("http://", "https://")):
        return
    try:
        with urllib.request.urlopen(f"{tracking_uri.rstrip('/')}/health", timeout=timeout_seconds):
            pass
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise TrackingUnavailableError(tracking_uri, str(reason)) from error


def artifact_location(tracking_uri: str) -> str | None:
    """For a local sqlite store: the file URI of `mlartifacts/` beside the db file, so that
    `mlflow server --artifacts-destination var/mlartifacts` serves the same artifacts."""
    if not tracking_uri.startswith("sqlite:"):
        return None
    database = make_url(tracking_uri).database
    if not database or database == ":memory:":
        return None
    return (Path(database).resolve().parent / "mlartifacts").as_uri()


def ensure_experiment(name: str, tracking_uri: str) -> str:
    """Point MLflow's tracking and registry at `tracking_uri`; the id of experiment `name`,
    created (artifacts beside a sqlite store) when it does not exist yet."""
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    existing = mlflow.get_experiment_by_name(name)
    if existing is not None:
        return str(existing.experiment_id)
    return mlflow.create_experiment(name, artifact_location=artifact_location(tracking_uri))


@contextmanager
def start_run(experiment_id: str, run_name: str) -> Iterator[str]:
    """The active run for the block (the log_* functions below write to it); yields its id.
    An exception leaving the block ends the run as FAILED and propagates."""
    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
        yield str(run.info.run_id)


def log_params(params: dict[str, Any]) -> None:
    mlflow.log_params(params)


def log_metrics(metrics: dict[str, float]) -> None:
    mlflow.log_metrics(metrics)


def log_epoch_losses(train: list[float], validation: list[float]) -> None:
    for epoch, (train_loss, val_loss) in enumerate(zip(train, validation, strict=True), start=1):
        mlflow.log_metrics({"train_loss": train_loss, "val_loss": val_loss}, step=epoch)


def log_json(document: dict[str, Any], artifact_file: str) -> None:
    mlflow.log_dict(document, artifact_file)


def log_files(paths: list[Path], folder: str) -> None:
    """Each file as an artifact under `folder` of the active run, in order."""
    for path in paths:
        mlflow.log_artifact(str(path), folder)


def register_pytorch_model(model: LSTMForecaster, registered_name: str) -> int:
    """Log the eager model to the active run (pickle format: the LSTM needs no torch.export
    tracing) with an input example and signature, registered under `registered_name`; returns
    the version."""
    example = np.linspace(100.0, 101.0, model.input_length, dtype=np.float32)[np.newaxis, :]
    model.eval()
    output = forward_numpy(model, example)
    info = mlflow.pytorch.log_model(
        model,
        name="model",
        registered_model_name=registered_name,
        serialization_format="pickle",
        input_example=example,
        signature=infer_signature(example, output),
        pip_requirements=PIP_REQUIREMENTS,
    )
    if info.registered_model_version is None:
        raise RuntimeError(f"MLflow did not return a version for {registered_name}")
    return int(info.registered_model_version)


def champion_config(run_id: str, tracking_uri: str) -> TrainConfig:
    params = MlflowClient(tracking_uri=tracking_uri).get_run(run_id).data.params
    return TrainConfig.from_params(params)


MAX_TAG_CHARS = 5000  # the smallest tag value limit among MLflow's stores


def gate_tags(gate: dict[str, Any]) -> dict[str, str]:
    """The gate document as tags: gate.decision, gate.reasons (joined by " | "), and every
    statistic and p-value under its path (gate.champion.h1.p_better, ...), as strings."""
    tags: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}", inner)
        elif isinstance(value, list):
            tags[prefix] = " | ".join(str(item) for item in value)
        else:
            tags[prefix] = "none" if value is None else str(value)

    walk("gate", gate)
    return {key: value[:MAX_TAG_CHARS] for key, value in tags.items()}


def record_decision(
    tracking_uri: str, name: str, version: int, run_id: str, gate: dict[str, Any]
) -> None:
    """The gate's decision, reasons, statistics and p-values as tags on the run (one batch)
    and on the model version."""
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    tags = gate_tags(gate)
    client.log_batch(run_id, tags=[RunTag(key, value) for key, value in tags.items()])
    for key, value in tags.items():
        client.set_model_version_tag(name, str(version), key, value)


def source_commit() -> str:
    """The git commit of the code that trains (lineage), or "unknown" outside a checkout."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else "unknown"


def set_champion(tracking_uri: str, name: str, version: int) -> None:
    """Move alias `champion` of `name` to `version` (what the api serves)."""
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    client.set_registered_model_alias(name, CHAMPION_ALIAS, str(version))
    log.info("%s v%d is now %s", name, version, CHAMPION_ALIAS)
