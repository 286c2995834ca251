"""The whole pipeline against a real MLflow sqlite store and the real test databases:
logging (with lineage), registry, the gate promoting and refusing (and its record), fine-tune,
and failures that leave the champion untouched."""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import mlflow
import numpy as np
import pytest
import torch
from mlflow import MlflowClient
from sqlalchemy import Engine, insert, select

from nn_estimator import usecases
from nn_estimator.adapters.artifact import ScriptedForecaster
from nn_estimator.adapters.registry import champion, download_torchscript, load_walk_forward
from nn_estimator.config import TrainConfig
from nn_estimator.domain.evaluation import Forecast
from nn_estimator.errors import NoChampionError, TooFewRowsError, UnknownTickerError
from nn_estimator.usecases import scoring
from nn_estimator.usecases.train import train_and_register
from stock_db import models


def model_rows(engine: Engine) -> dict[int, dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(models).order_by(models.c.version)).mappings().all()
    return {row["version"]: dict(row) for row in rows}


def test_first_train_is_logged_registered_and_promoted(
    loaded_engine: Engine, tracking_uri: str, tiny: TrainConfig, tmp_path: Path
) -> None:
    outcome = train_and_register("msft", loaded_engine, tracking_uri, tiny)

    assert outcome.promoted and outcome.version == 1
    assert "No champion yet: the baseline test alone decides." in outcome.reasons
    ref = champion("MSFT", tracking_uri)
    assert ref is not None and (ref.name, ref.version) == ("lstm-MSFT", 1)

    client = MlflowClient(tracking_uri)
    run = client.get_run(outcome.run_id)
    params = run.data.params
    assert params["hidden_size"] == "8" and params["ticker"] == "MSFT"
    # Lineage: the code's commit, the rows learnt from (train + validation) and their hash.
    assert params["git_commit"] == "unknown" or len(params["git_commit"]) == 40
    assert len(params["train_rows_sha256"]) == 64
    train_days = tiny.max_train_days or 0
    assert int(params["train_rows_n"]) == train_days + tiny.val_days
    assert params["train_rows_end"] == outcome.train_end.isoformat()
    tags = run.data.tags
    assert tags["gate.decision"] == "promote"
    assert tags["gate.p_value"] == str(outcome.gate["p_value"])
    assert tags["gate.naive.h1.p_worse"] == tags["gate.p_value"]
    assert tags["gate.days.n"] == str(tiny.eval_days) and tags["gate.champion"] == "none"
    assert tags["gate.reasons"] == " | ".join(outcome.reasons)
    version_tags = client.get_model_version("lstm-MSFT", "1").tags
    assert {k: v for k, v in tags.items() if k.startswith("gate.")} == version_tags
    for name in (
        "h1_lstm_rel_mae",
        "h1_lstm_mase",
        "h1_naive_mae",
        "h1_drift_mae",
        "h5_lstm_rmse",
        "h1_lstm_direction_accuracy",
        "h1_lstm_dm_vs_naive_p_better",
        "h1_lstm_dm_vs_drift_p_better",
        "h1_coverage",
        "h5_coverage",
    ):
        assert name in run.data.metrics, name
    assert len(client.get_metric_history(outcome.run_id, "val_loss")) == outcome.epochs_run
    artifacts = {
        a.path
        for folder in ("plots", "torchscript", "evaluation")
        for a in client.list_artifacts(outcome.run_id, folder)
    }
    assert {
        "plots/loss.png",
        "plots/forecast_vs_actual_h1.png",
        "torchscript/model.pt",
        "evaluation/metrics.json",
        "evaluation/walk_forward.json",
    } <= artifacts
    # The day-by-day series the api serves: validation then holdout days, after training.
    series = load_walk_forward(ref, tracking_uri)
    assert series is not None and series["horizon"] == 1
    assert len(series["points"]) == tiny.val_days + tiny.eval_days
    validation = [p for p in series["points"] if p["slice"] == "validation"]
    assert len(validation) == tiny.val_days
    assert validation[-1]["date"] == outcome.train_end.isoformat()  # the last validation day
    assert series["points"][tiny.val_days]["date"] == outcome.metrics["eval_start"]
    assert series["points"][-1]["date"] == outcome.metrics["eval_end"]
    experiment = client.get_experiment(run.info.experiment_id)
    assert experiment.name == "lstm-MSFT"
    assert experiment.artifact_location == (Path(tracking_uri[10:]).parent / "mlartifacts").as_uri()

    # The api's path: champion -> TorchScript file -> forecast, no training code involved.
    scripted = ScriptedForecaster.load(download_torchscript(ref, tracking_uri, tmp_path / "dl"))
    assert scripted.meta["run_id"] == outcome.run_id and scripted.meta["model_name"] == "lstm-MSFT"
    assert scripted.meta["train_end"] < outcome.metrics["eval_start"]
    # The registered pytorch flavour gives the same forecast.
    eager = mlflow.pytorch.load_model("models:/lstm-MSFT@champion")
    closes = np.linspace(80, 84, 20, dtype=np.float32)[None, :]
    with torch.no_grad():
        np.testing.assert_allclose(
            eager(torch.from_numpy(closes)).numpy(), scripted.forecast(closes), rtol=1e-6
        )

    row = model_rows(loaded_engine)[1]
    assert row["status"] == "champion" and row["promoted_at"] is not None
    assert row["metrics"]["n_eval_days"] == tiny.eval_days
    assert set(row["metrics"]["horizons"]) == {"1", "5"}
    assert set(row["metrics"]["horizons"]["1"]["naive"]) == {
        "mse",
        "rmse",
        "mae",
        "mape",
        "rel_mae",
        "mase",
        "direction_accuracy",
        "direction_n",
        "direction_always_up",
        "direction_pt_statistic",
        "direction_pt_p_value",
    }
    assert set(row["metrics"]["horizons"]["1"]) >= {"lstm", "naive", "drift", "coverage"}
    assert row["metrics"]["mase_scale"]["n"] == train_days - 1
    assert row["train_end"] == outcome.train_end
    assert row["train_end"] < date.fromisoformat(row["metrics"]["eval_start"])
    assert row["gate"] == outcome.gate and row["gate"]["decision"] == "promote"
    assert row["gate"]["days"]["n"] == tiny.eval_days


def test_gate_refuses_a_candidate_that_does_not_beat_the_champion(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
) -> None:
    first = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)
    # Same data, same seed: an identical model is not *significantly better* than the champion.
    second = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)

    assert first.promoted and not second.promoted
    assert any("Not significantly better than champion v1 at h=1" in r for r in second.reasons)
    assert second.gate["champion"]["h1"]["gain"] == 0.0
    assert second.gate["p_value"] == second.gate["champion"]["h1"]["p_better"] == 0.5
    assert champion("MSFT", tracking_uri).version == 1  # type: ignore[union-attr]
    client = MlflowClient(tracking_uri)
    assert client.get_model_version("lstm-MSFT", "2").tags["gate.decision"] == "reject"
    rows = model_rows(loaded_sqlite_engine)
    assert (rows[1]["status"], rows[2]["status"]) == ("champion", "rejected")
    assert rows[2]["gate"]["decision"] == "reject"


def test_two_seeds_of_one_configuration_are_noise_to_the_gate(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
) -> None:
    train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)
    other = train_and_register(
        "MSFT", loaded_sqlite_engine, tracking_uri, tiny.with_overrides(seed=45)
    )
    assert not other.promoted, other.reasons
    assert abs(other.gate["champion"]["h1"]["gain"]) < 0.01
    assert other.gate["p_value"] >= 0.05


def test_a_deliberately_better_candidate_is_promoted_and_the_old_champion_retired(
    loaded_sqlite_engine: Engine,
    tracking_uri: str,
    tiny: TrainConfig,
    oracle: Forecast,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)
    # The test double: the candidate's walk-forward is fed the true next closes.
    monkeypatch.setattr(scoring, "eager_forecast", lambda model: oracle)
    better = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)

    assert better.promoted, better.reasons
    assert any("Significantly better than champion v1 at h=1" in r for r in better.reasons)
    assert better.gate["p_value"] < 0.001 and better.gate["champion"]["h1"]["gain"] > 0.5
    assert champion("MSFT", tracking_uri).version == 2  # type: ignore[union-attr]
    rows = model_rows(loaded_sqlite_engine)
    assert (rows[1]["status"], rows[2]["status"]) == ("retired", "champion")


def test_fine_tune_warm_starts_from_the_champion_and_faces_the_gate(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
) -> None:
    with pytest.raises(NoChampionError, match="no champion"):
        train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny, fine_tune=True)
    base = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)
    tuned = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny, fine_tune=True)

    assert tuned.fine_tune and tuned.epochs_run == tiny.fine_tune_epochs
    params = MlflowClient(tracking_uri).get_run(tuned.run_id).data.params
    assert params["warm_start_version"] == "1" and params["fine_tune"] == "True"
    assert tuned.metrics["eval_start"] == base.metrics["eval_start"]
    # One more epoch on the newest 200 days moves the champion's errors by noise only.
    assert not tuned.promoted, tuned.reasons
    assert any("Not significantly better than champion v1" in r for r in tuned.reasons)
    rows = model_rows(loaded_sqlite_engine)
    assert (rows[1]["status"], rows[2]["status"]) == ("champion", "rejected")
    assert rows[2]["train_start"] == rows[1]["train_start"]  # weights inherit the range


def test_a_fine_tune_inherits_a_later_champion_train_end_and_is_judged_after_it(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
) -> None:
    base = train_and_register(
        "MSFT", loaded_sqlite_engine, tracking_uri, tiny.with_overrides(eval_days=40)
    )
    tuned = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny, fine_tune=True)

    # Its own slices end 60 days before the last close, the champion's 40: its weights saw
    # everything the champion saw, so its train_end is the champion's, and only the last 40
    # of its 60 evaluation days are judged.
    assert tuned.train_end == base.train_end
    assert tuned.gate["days"]["n"] == 40
    assert tuned.gate["days"]["after"] == base.train_end.isoformat()
    assert any("Judged on the 40 evaluation days" in r for r in tuned.reasons)
    rows = model_rows(loaded_sqlite_engine)
    assert rows[2]["train_end"] == rows[1]["train_end"] == base.train_end


def test_champion_trained_on_part_of_the_holdout_is_compared_on_later_days_only(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
) -> None:
    first = train_and_register("MSFT", loaded_sqlite_engine, tracking_uri, tiny)  # last 60 days
    wider = train_and_register(
        "MSFT", loaded_sqlite_engine, tracking_uri, tiny.with_overrides(eval_days=100)
    )
    # The champion trained up to day -61, so only the last 60 of the 100 days are fair.
    assert wider.gate["days"]["n"] == 60
    assert wider.gate["days"]["champion_train_end"] == first.train_end.isoformat()
    assert any("Judged on the 60 evaluation days" in r for r in wider.reasons), wider.reasons


def test_a_failed_run_leaves_the_champion_untouched(
    loaded_engine: Engine,
    tracking_uri: str,
    tiny: TrainConfig,
    oracle: Forecast,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poor = train_and_register("MSFT", loaded_engine, tracking_uri, tiny)
    monkeypatch.setattr(scoring, "eager_forecast", lambda model: oracle)
    # A row already holding version 2 makes the final database write fail (primary key),
    # after the (oracle-fed) candidate was promoted by the gate.
    now = datetime.now(UTC)
    with loaded_engine.begin() as connection:
        connection.execute(
            insert(models).values(
                ticker="MSFT",
                name="lstm-MSFT",
                version=2,
                run_id="x",
                status="rejected",
                trained_at=now,
                train_start=date(2000, 1, 1),
                train_end=date(2000, 1, 2),
                metrics={},
            )
        )
    with pytest.raises(Exception):  # noqa: B017 - whichever driver error the backend raises
        train_and_register("MSFT", loaded_engine, tracking_uri, tiny)

    assert champion("MSFT", tracking_uri).version == poor.version  # type: ignore[union-attr]
    rows = model_rows(loaded_engine)
    assert rows[1]["status"] == "champion" and rows[2]["run_id"] == "x"
    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name("lstm-MSFT")
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id])
    assert sorted(r.info.status for r in runs) == ["FAILED", "FINISHED"]


def test_unknown_ticker_and_too_few_rows_are_clear_errors(
    loaded_sqlite_engine: Engine, tracking_uri: str, tiny: TrainConfig
) -> None:
    with pytest.raises(UnknownTickerError, match="no prices for ticker 'NOPE'"):
        train_and_register("NOPE", loaded_sqlite_engine, tracking_uri, tiny)
    with pytest.raises(TooFewRowsError, match="'MSFT' has 1000 daily closes"):
        train_and_register(
            "MSFT", loaded_sqlite_engine, tracking_uri, tiny.with_overrides(eval_days=990)
        )
    assert champion("MSFT", tracking_uri) is None
    assert model_rows(loaded_sqlite_engine) == {}


def test_use_cases_reach_mlflow_only_through_the_adapters() -> None:
    for path in Path(usecases.__file__).parent.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
        assert not {m for m in imported if m.split(".")[0] == "mlflow"}, path.name
