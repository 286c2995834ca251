"""Configuration: the package's settings (environment) and the training hyper-parameters."""

from dataclasses import asdict, dataclass, replace
from typing import Any

from stock_db.settings import SuiteSettings

DEFAULT_TRACKING_URI = "sqlite:///var/mlflow.db"


class Settings(SuiteSettings):
    """The suite's DATABASE_URL, TICKERS and ADMIN_TOKEN, plus the MLflow store
    (MLFLOW_TRACKING_URI: tracking and registry)."""

    mlflow_tracking_uri: str = DEFAULT_TRACKING_URI


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a trained model. Logged as MLflow params, so a run can be
    reproduced from its params alone. Defaults come from the study in the README."""

    input_length: int = 20  # closes per input window (L)
    max_horizon: int = 5  # forecast steps 1..H
    hidden_size: int = 32
    num_layers: int = 1
    dropout: float = 0.0
    learning_rate: float = 1e-3
    batch_size: int = 256
    max_epochs: int = 20
    patience: int = 4  # early stopping on validation loss
    eval_days: int = 250  # walk-forward holdout at the end of the series
    val_days: int = 250  # validation slice just before the holdout
    # None = all history before the validation slice: the study's training-start axis (all,
    # last 20 / 15 / 10 years) found no start better on validation (README, study section).
    max_train_days: int | None = None
    interval: float = 0.9  # nominal coverage of the band (split-conformal, domain/band.py)
    seed: int = 42
    fine_tune_epochs: int = 3
    fine_tune_days: int = 500  # newest training days used by a fine-tune
    fine_tune_lr_factor: float = 0.3
    gate_margin: float = 0.05  # candidate rel_mae may exceed 1 (naive) by at most this
    gate_p: float = 0.05  # significance level of the gate's Diebold-Mariano tests
    gate_min_gain: float = 0.01  # relative h=1 MAE improvement over the champion required

    def __post_init__(self) -> None:
        if not 0.0 < self.interval < 1.0:
            raise ValueError(f"interval must lie strictly between 0 and 1, got {self.interval}")

    def with_overrides(self, **overrides: Any) -> "TrainConfig":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def as_params(self) -> dict[str, Any]:
        return {k: ("none" if v is None else v) for k, v in asdict(self).items()}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "TrainConfig":
        """Rebuild from stored (string) params; unknown keys are ignored."""
        values: dict[str, Any] = {}
        for name, default in asdict(cls()).items():
            if name not in params:
                continue
            raw = params[name]
            if raw in ("none", "None", None):
                values[name] = None
            elif isinstance(default, bool):
                values[name] = str(raw).lower() == "true"
            elif isinstance(default, int) or name == "max_train_days":
                values[name] = int(raw)
            else:
                values[name] = float(raw)
        return cls(**values)


# `make up` bootstraps with this one: well under a minute on the full sample history.
QUICK_CONFIG = TrainConfig(max_epochs=8, patience=3)
