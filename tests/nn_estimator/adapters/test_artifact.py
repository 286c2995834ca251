"""The TorchScript artifact: export and load round-trip, and the checks the api relies on."""

from pathlib import Path

import numpy as np
import pytest
import torch

from nn_estimator.adapters.artifact import ScriptedForecaster, export_torchscript
from nn_estimator.domain.fitting import FitResult


def _closes_batch(sample_closes: np.ndarray, length: int) -> np.ndarray:
    ends = np.array([len(sample_closes) - 1, len(sample_closes) - 300, 2000])
    return np.stack([sample_closes[e - length + 1 : e + 1] for e in ends]).astype(np.float32)


def test_torchscript_round_trip_gives_the_same_outputs(
    tiny_fit: FitResult, sample_closes: np.ndarray, tmp_path: Path
) -> None:
    model = tiny_fit.model
    meta = {"ticker": "MSFT", "input_length": 20, "max_horizon": 5, "interval": 0.9}
    path = export_torchscript(model, meta, tmp_path / "torchscript" / "model.pt")
    loaded = ScriptedForecaster.load(path)
    assert loaded.meta == meta

    batch = _closes_batch(sample_closes, 20)
    with torch.no_grad():
        eager = model(torch.from_numpy(batch)).numpy()
    scripted = loaded.forecast(batch)
    assert scripted.shape == (3, 5, 3)
    np.testing.assert_allclose(scripted, eager, rtol=1e-6)
    assert (scripted[..., 0] <= scripted[..., 1]).all()
    assert (scripted[..., 1] <= scripted[..., 2]).all()
    # Returns in, prices out: a series ten times higher gets a forecast ten times higher,
    # so prices far outside the training range are no problem.
    np.testing.assert_allclose(loaded.forecast(batch * 10), scripted * 10, rtol=1e-4)


def test_scripted_forecaster_refuses_bad_input(tiny_fit: FitResult, tmp_path: Path) -> None:
    path = export_torchscript(
        tiny_fit.model, {"input_length": 20, "max_horizon": 5}, tmp_path / "m.pt"
    )
    loaded = ScriptedForecaster.load(path)
    with pytest.raises(ValueError, match="need the last 20 closes"):
        loaded.forecast(np.ones((1, 19)))
    with pytest.raises(ValueError, match="finite and positive"):
        loaded.forecast(np.r_[np.ones(19), 0.0])
    # A longer 1-D history uses its last 20 closes.
    history = np.linspace(10, 12, 50)
    np.testing.assert_allclose(loaded.forecast(history), loaded.forecast(history[None, -20:]))
