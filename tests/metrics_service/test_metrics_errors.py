"""Database down -> 503, and the JSON layer refusing NaN instead of emitting invalid JSON."""

import math

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from metrics_service.api.responses import StrictJSONResponse
from metrics_service.config import Settings
from metrics_service.main import create_app
from metrics_service.schemas import Inference, without_non_finite
from support.network import closed_url

UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


@pytest.mark.parametrize("path", ["/metrics?ticker=MSFT", "/metrics/history?ticker=MSFT"])
def test_database_down_is_503(path: str) -> None:
    settings = Settings(
        database_url=UNREACHABLE_POSTGRES,
        prometheus_url=closed_url(),
        estimator_url=closed_url(),
        database_wait_seconds=0,
    )
    with TestClient(create_app(settings)) as client:
        response = client.get(path)
        assert response.status_code == 503
        assert "database unavailable" in response.json()["detail"]
        assert client.get("/health").json() == {"status": "ok", "database": "down"}


def test_strict_response_refuses_nan() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        StrictJSONResponse({"avg_seconds": math.nan})
    with pytest.raises(ValueError):
        StrictJSONResponse({"p95_seconds": math.inf})


def test_response_schemas_refuse_nan() -> None:
    with pytest.raises(ValidationError):
        Inference(avg_seconds=math.nan)


def test_non_finite_database_json_becomes_null() -> None:
    document = {"mae": math.nan, "nested": [math.inf, 1.5], "name": "x"}
    assert without_non_finite(document) == {"mae": None, "nested": [None, 1.5], "name": "x"}
