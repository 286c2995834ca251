"""The service template: nothing at import time, create_app wires, `python -m estimator_api`."""

import importlib

import pytest
import torch
from fastapi.testclient import TestClient

from estimator_api.__main__ import main
from support.trained import Store, app_client


def test_importing_main_builds_no_app() -> None:
    module = importlib.import_module("estimator_api.main")
    assert not hasattr(module, "app")  # started with `uvicorn --factory ...:create_app`


def test_create_app_pins_torch_to_one_thread_and_wires_the_state(
    client: TestClient, store: Store
) -> None:
    assert torch.get_num_threads() == 1
    state = client.app.state  # type: ignore[attr-defined]
    assert state.settings.tickers == ["MSFT"]
    assert str(state.engine.url) == store.database_url
    assert state.service.tickers == ["MSFT"]


def test_predict_fast_path_off_leaves_predict_to_the_router(store: Store) -> None:
    with app_client(store.settings(predict_fast_path=False)) as client:
        stack = [m.cls.__name__ for m in client.app.user_middleware]  # type: ignore[attr-defined]
    assert stack == ["RequestMetrics"]


def test_serve_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0
    assert "--port" in capsys.readouterr().out
