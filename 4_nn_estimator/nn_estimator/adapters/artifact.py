"""The TorchScript artifact the api serves: export (training side) and load (serving side).

`model.pt` carries the whole forecaster plus `meta.json` (ticker, input length, horizon,
band, training range, registry name and run id); loading it needs torch only.
"""

import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import torch

from nn_estimator.domain.model import LSTMForecaster

META_FILE = "meta.json"
TORCHSCRIPT_DIR = "torchscript"
TORCHSCRIPT_FILE = "model.pt"


@contextmanager
def _quiet_jit() -> Iterator[None]:
    # torch 2.13 marks torch.jit as deprecated; it still works and needs no training code.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", message=".*torch.jit.*")
        yield


def export_torchscript(model: LSTMForecaster, meta: dict[str, Any], path: Path) -> Path:
    """Script `model` (eval mode) and save it with meta.json embedded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    model.eval()
    with _quiet_jit():
        scripted = torch.jit.script(model)
        torch.jit.save(scripted, str(path), _extra_files={META_FILE: json.dumps(meta)})
    return path


def forward_numpy(module: Any, windows: np.ndarray) -> np.ndarray:
    """(B, L) closes -> (B, H, 3) [lower, point, upper], through any forecaster module (eager
    or TorchScript) without checks or copies beyond the float32 cast: the one numpy <-> torch
    wrapper of the suite. Callers validate the windows (ScriptedForecaster.forecast does)."""
    with torch.inference_mode():
        output: np.ndarray = module(torch.from_numpy(windows.astype(np.float32))).numpy()
    return output


def use_one_inference_thread() -> None:
    """Pin torch to one intra-op thread. A ~0.2 ms forward of this small LSTM gains nothing
    from more threads on 2 cores, and torch's default OpenMP pool made serving throughput
    bimodal from run to run (150-770 requests/s measured); with one thread it is steady."""
    torch.set_num_threads(1)


class ScriptedForecaster:
    """A loaded TorchScript forecaster with its metadata."""

    def __init__(self, module: Any, meta: dict[str, Any]) -> None:
        self.module = module
        self.meta = meta

    @classmethod
    def load(cls, path: str | Path) -> "ScriptedForecaster":
        extra = {META_FILE: ""}
        with _quiet_jit():
            module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
        module.eval()
        return cls(module, json.loads(extra[META_FILE]))

    @property
    def input_length(self) -> int:
        return int(self.meta["input_length"])

    @property
    def max_horizon(self) -> int:
        return int(self.meta["max_horizon"])

    def forecast(self, closes: np.ndarray) -> np.ndarray:
        """(B, L) closes, oldest first -> (B, H, 3) [lower, point, upper] prices.

        A 1-D series is treated as one row; longer rows use their last L closes.
        Raises ValueError for too-short, non-finite or non-positive input."""
        array = np.asarray(closes, dtype=np.float64)
        if array.ndim == 1:
            array = array[np.newaxis, :]
        if array.ndim != 2:
            raise ValueError(f"closes must be 2-D (batch, {self.input_length}), got {array.shape}")
        if array.shape[1] < self.input_length:
            raise ValueError(f"need the last {self.input_length} closes, got {array.shape[1]}")
        array = array[:, -self.input_length :]
        if not np.all(np.isfinite(array)) or np.any(array <= 0):
            raise ValueError("closes must be finite and positive")
        return forward_numpy(self.module, array).astype(np.float64)
