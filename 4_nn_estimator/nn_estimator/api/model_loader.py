"""Adapter to the model registry (MLflow) and the `models` table: which version is champion,
its TorchScript artifact, and the metrics recorded when it was evaluated. All blocking I/O:
the holder calls it from worker threads."""

import logging
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from nn_estimator.artifact import ScriptedForecaster
from nn_estimator.registry import ChampionRef, champion, download_torchscript
from stock_db import models

log = logging.getLogger(__name__)


class ModelLoader:
    def __init__(self, tracking_uri: str, engine: Engine, download_dir: Path | None = None) -> None:
        self.tracking_uri = tracking_uri
        self._engine = engine
        self._download_dir = download_dir

    def champion(self, ticker: str) -> ChampionRef | None:
        return champion(ticker, self.tracking_uri)

    def load(self, ref: ChampionRef) -> ScriptedForecaster:
        """Download the version's TorchScript file into a scratch folder and load it; the
        module lives in memory afterwards, so the folder is removed."""
        if self._download_dir is not None:
            self._download_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self._download_dir, prefix="model-") as scratch:
            path = download_torchscript(ref, self.tracking_uri, scratch)
            return ScriptedForecaster.load(path)

    def record(self, ref: ChampionRef) -> dict[str, Any] | None:
        """The version's row in the `models` table (status, training range, metrics), if the
        trainer wrote one."""
        query = select(models).where(models.c.name == ref.name, models.c.version == ref.version)
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return dict(row) if row is not None else None
