"""Response schemas refuse NaN/inf (a figure that cannot be computed is None, never NaN) and
are built from the use cases' dataclasses."""

import math

import pytest
from pydantic import ValidationError

from metrics_service.api.schemas import Inference, OfflineMetrics
from metrics_service.usecases.latency import InferenceLatency
from metrics_service.usecases.report import OfflineEvaluation


def test_response_schemas_refuse_nan() -> None:
    with pytest.raises(ValidationError):
        Inference(avg_seconds=math.nan)
    with pytest.raises(ValidationError):
        Inference(p95_seconds=math.inf)


def test_built_from_a_use_case_dataclass() -> None:
    latency = InferenceLatency(0.5, 0.9, "prometheus", "5m", 12.0, note="why")
    assert Inference.model_validate(latency, from_attributes=True).model_dump() == {
        "avg_seconds": 0.5,
        "p95_seconds": 0.9,
        "source": "prometheus",
        "window": "5m",
        "requests": 12.0,
        "reason": None,
        "note": "why",
    }


def test_offline_metrics_are_labelled_as_such() -> None:
    evaluation = OfflineEvaluation(3, 1, None, None, None, None, None, None, None, None)
    schema = OfflineMetrics.model_validate(evaluation, from_attributes=True)
    assert schema.label == "offline walk-forward evaluation (models table), not live predictions"
    assert schema.model_version == 3
