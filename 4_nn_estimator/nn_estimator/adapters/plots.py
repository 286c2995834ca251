"""PNG figures logged to MLflow (matplotlib, headless Agg backend)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from nn_estimator.domain.evaluation import HorizonForecasts


def loss_curve(train: list[float], validation: list[float], path: Path) -> Path:
    figure, axis = plt.subplots(figsize=(6, 3.5))
    epochs = np.arange(1, len(train) + 1)
    axis.plot(epochs, train, label="train")
    axis.plot(epochs, validation, label="validation")
    axis.set_xlabel("epoch")
    axis.set_ylabel("MSE (normalised returns)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def forecast_vs_actual(
    f: HorizonForecasts,
    dates: np.ndarray,
    ticker: str,
    path: Path,
    drift: np.ndarray | None = None,
) -> Path:
    """The holdout's actual closes, the LSTM forecast and band, naive and (given) drift."""
    x = dates[f.target_index].astype("datetime64[D]").astype(object)
    figure, axis = plt.subplots(figsize=(9, 4))
    axis.fill_between(x, f.lower, f.upper, alpha=0.25, label="LSTM band")
    axis.plot(x, f.actual, color="black", linewidth=1.2, label="actual close")
    axis.plot(x, f.point, linewidth=1.0, label="LSTM forecast")
    axis.plot(x, f.last, linewidth=0.8, linestyle="--", label="naive (last close)")
    if drift is not None:
        axis.plot(x, drift, linewidth=0.8, linestyle=":", label="drift (mean training return)")
    axis.set_title(f"{ticker}: {f.horizon}-day-ahead walk-forward forecast on the holdout")
    axis.legend(loc="upper left")
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
