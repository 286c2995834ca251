"""The study against a real MLflow sqlite store: one run per configuration, ranked by
validation MASE, nothing registered."""

import pytest
from mlflow import MlflowClient
from sqlalchemy import Engine

from nn_estimator.config import TrainConfig
from nn_estimator.usecases.study import run_study


def test_one_run_per_configuration_ranked_by_validation_mase(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
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
    assert [r.val_mase_h1 for r in rows] == sorted(r.val_mase_h1 for r in rows)
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
        assert run.data.metrics["val_h1_mase"] == pytest.approx(row.val_mase_h1)
        assert run.data.metrics["h5_lstm_mase"] == pytest.approx(row.eval_mase_h5)
        assert row.epochs == tiny.max_epochs
        assert len(client.get_metric_history(row.run_id, "val_loss")) == row.epochs
    assert client.search_registered_models() == []
