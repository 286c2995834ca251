"""Adapter to the model registry (MLflow) and the `models` table: which version holds the alias
`champion`, which versions the gate promoted, their TorchScript artifacts and walk-forward
series, and the metrics recorded when they were evaluated. All blocking I/O: the holder calls
it from worker threads.

MLflow's HTTP client retries a failing request for about four minutes by default; the api
bounds every call instead (`bound_mlflow_requests`, set once by create_app from settings)."""

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import requests
from mlflow.exceptions import MlflowException
from sqlalchemy import Engine, select

from estimator_api.domain.serving import CHAMPION_STATUS, RETIRED_STATUS
from nn_estimator.adapters.artifact import ScriptedForecaster
from nn_estimator.adapters.registry import (
    ChampionRef,
    champion,
    download_torchscript,
    load_walk_forward,
    model_name,
)
from stock_db import models

log = logging.getLogger(__name__)


def bound_mlflow_requests(timeout_seconds: int, retries: int) -> None:
    """Make every MLflow HTTP request of this process give up after about
    `timeout_seconds x (retries + 1)`: MLflow reads these variables at each call."""
    os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = str(timeout_seconds)
    os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = str(retries)
    # urllib3's backoff before retry n is factor x 2^(n-1), none before the first: keep it short.
    os.environ["MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"] = "1"
    os.environ["MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"] = "0"


def is_unreachable(error: BaseException) -> bool:
    """Whether an MLflow error means the server could not be reached or did not answer
    (connection refused, timeout, retries exhausted), as opposed to a refusal about one model."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, requests.exceptions.RequestException | ConnectionError | TimeoutError):
            return True
        if isinstance(seen, MlflowException) and str(seen.message).startswith("API request to"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class ModelLoader:
    def __init__(self, tracking_uri: str, engine: Engine, download_dir: Path | None = None) -> None:
        self.tracking_uri = tracking_uri
        self._engine = engine
        self._download_dir = download_dir

    def champion(self, ticker: str) -> ChampionRef | None:
        """The version holding the alias `champion` in the registry (None: no alias yet)."""
        return champion(ticker, self.tracking_uri)

    def load(self, ref: ChampionRef) -> ScriptedForecaster:
        """Download the version's TorchScript file into a scratch folder and load it; the
        module lives in memory afterwards, so the folder is removed."""
        if self._download_dir is not None:
            self._download_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self._download_dir, prefix="model-") as scratch:
            path = download_torchscript(ref, self.tracking_uri, scratch)
            return ScriptedForecaster.load(path)

    def walk_forward(self, ref: ChampionRef) -> dict[str, Any] | None:
        """The version's run's `evaluation/walk_forward.json` (None: the run has none)."""
        return load_walk_forward(ref, self.tracking_uri)

    def record(self, ref: ChampionRef) -> dict[str, Any] | None:
        """The version's row in the `models` table (status, training range, metrics), if the
        trainer wrote one. Raises SQLAlchemyError when the database does not answer."""
        query = select(models).where(models.c.name == ref.name, models.c.version == ref.version)
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return dict(row) if row is not None else None

    def promoted(self, ticker: str) -> list[dict[str, Any]]:
        """The versions the gate promoted for `ticker` (status champion, or retired with a
        promotion time), newest promotion first: the candidates to fall back to."""
        query = (
            select(models)
            .where(
                models.c.name == model_name(ticker),
                models.c.status.in_([CHAMPION_STATUS, RETIRED_STATUS]),
                models.c.promoted_at.is_not(None),
            )
            .order_by(models.c.promoted_at.desc(), models.c.version.desc())
        )
        with self._engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]
