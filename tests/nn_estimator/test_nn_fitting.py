"""Training determinism and the band; TorchScript round-trip of the trained model."""

from pathlib import Path

import numpy as np
import pytest
import torch

from nn_estimator.artifact import ScriptedForecaster, export_torchscript
from nn_estimator.config import TrainConfig
from nn_estimator.evaluation import flat_metrics, metrics_document, walk_forward
from nn_estimator.fitting import FitResult, fit
from nn_estimator.model import LSTMForecaster
from nn_estimator.training import eager_forecast
from nn_estimator.windowing import chronological_split

ROWS = 1000


def train(closes: np.ndarray, config: TrainConfig) -> tuple[FitResult, dict[str, float]]:
    series = closes[-ROWS:]
    split = chronological_split("MSFT", len(series), config)
    result = fit(series, split, config)
    forecasts = walk_forward(
        eager_forecast(result.model), series, split.eval_start, config.input_length
    )
    dates = np.arange(len(series)).astype("datetime64[D]")
    document = metrics_document(forecasts, dates, config.input_length, config.max_horizon)
    return result, flat_metrics(document)


@pytest.fixture(scope="module")
def trained(sample_closes: np.ndarray, tiny: TrainConfig) -> tuple[FitResult, dict[str, float]]:
    return train(sample_closes, tiny)


def test_same_data_and_seed_give_the_same_metrics(
    trained: tuple[FitResult, dict[str, float]], sample_closes: np.ndarray, tiny: TrainConfig
) -> None:
    first_result, first = trained
    second_result, second = train(sample_closes, tiny)
    assert first == second
    assert first_result.train_losses == second_result.train_losses
    _, other_seed = train(sample_closes, tiny.with_overrides(seed=7))
    assert other_seed != first


def test_band_is_ordered_and_coverage_is_measured(
    trained: tuple[FitResult, dict[str, float]],
) -> None:
    result, metrics = trained
    assert bool((result.model.band_lower <= 0).all()) and bool((result.model.band_upper >= 0).all())
    assert 0.0 <= metrics["h1_coverage"] <= 1.0 and 0.0 <= metrics["h5_coverage"] <= 1.0


def _closes_batch(sample_closes: np.ndarray, length: int) -> np.ndarray:
    ends = np.array([len(sample_closes) - 1, len(sample_closes) - 300, 2000])
    return np.stack([sample_closes[e - length + 1 : e + 1] for e in ends]).astype(np.float32)


def test_torchscript_round_trip_gives_the_same_outputs(
    trained: tuple[FitResult, dict[str, float]], sample_closes: np.ndarray, tmp_path: Path
) -> None:
    model = trained[0].model
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


def test_scripted_forecaster_refuses_bad_input(
    trained: tuple[FitResult, dict[str, float]], tmp_path: Path
) -> None:
    model: LSTMForecaster = trained[0].model
    path = export_torchscript(model, {"input_length": 20, "max_horizon": 5}, tmp_path / "m.pt")
    loaded = ScriptedForecaster.load(path)
    with pytest.raises(ValueError, match="need the last 20 closes"):
        loaded.forecast(np.ones((1, 19)))
    with pytest.raises(ValueError, match="finite and positive"):
        loaded.forecast(np.r_[np.ones(19), 0.0])
    # A longer 1-D history uses its last 20 closes.
    history = np.linspace(10, 12, 50)
    np.testing.assert_allclose(loaded.forecast(history), loaded.forecast(history[None, -20:]))
