"""The study against a real MLflow sqlite store: one run per configuration, ranked by
validation relative MAE, nothing registered; the training-start axis."""

import pandas as pd
import pytest
from mlflow import MlflowClient
from sqlalchemy import Engine

from nn_estimator.config import TrainConfig
from nn_estimator.usecases.study import TRAINING_STARTS, distinct_configs, run_study


def test_one_run_per_configuration_ranked_by_validation_mase(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig, sample_frame: pd.DataFrame
) -> None:
    announced: list[tuple[int, int, int]] = []
    rows = run_study(
        "msft",
        loaded_sqlite_engine,
        tracking_uri,
        tiny,
        grid=({}, {"hidden_size": 4}),
        on_config=lambda number, total, c: announced.append((number, total, c.hidden_size)),
    )

    assert announced == [(1, 2, 8), (2, 2, 4)]
    assert sorted(r.config.hidden_size for r in rows) == [4, 8]
    # The engine holds the newest 1000 sample rows; tiny trains on the 400 before validation.
    first_train_day = len(sample_frame) - 1000 + 1000 - tiny.eval_days - tiny.val_days - 400
    assert {r.train_start for r in rows} == {str(sample_frame["date"].iloc[first_train_day])}
    assert [r.val_rel_mae_h1 for r in rows] == sorted(r.val_rel_mae_h1 for r in rows)
    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name("lstm-MSFT-study")
    assert experiment is not None
    runs = {r.info.run_id: r for r in client.search_runs([experiment.experiment_id])}
    assert set(runs) == {r.run_id for r in rows}
    assert {r.info.run_name for r in runs.values()} == {"base", "hidden_size=4"}
    for row in rows:
        run = runs[row.run_id]
        assert run.info.status == "FINISHED"
        assert run.data.params["hidden_size"] == str(row.config.hidden_size)
        assert run.data.metrics["val_h1_rel_mae"] == pytest.approx(row.val_rel_mae_h1)
        assert run.data.metrics["h5_lstm_rel_mae"] == pytest.approx(row.eval_rel_mae_h5)
        assert run.data.metrics["h5_coverage"] == pytest.approx(row.eval_coverage_h5)
        assert row.epochs == tiny.max_epochs
        assert len(client.get_metric_history(row.run_id, "val_loss")) == row.epochs
    assert client.search_registered_models() == []


def test_training_starts_replace_the_base_and_each_distinct_config_runs_once(
    tiny: TrainConfig,
) -> None:
    grid = ({}, *TRAINING_STARTS, {"max_train_days": 400}, {"hidden_size": 4})
    configs = distinct_configs(tiny, grid)  # tiny trains on its last 400 days

    assert [label for label, _ in configs] == [
        "base",
        "max_train_days=None",
        "max_train_days=5040",
        "max_train_days=3780",
        "max_train_days=2520",
        "hidden_size=4",
    ]
    # None means all history: the entry replaces the base's value instead of being skipped.
    assert [c.max_train_days for _, c in configs] == [400, None, 5040, 3780, 2520, 400]
