"""The MLflow write-side adapter: where a local store keeps its artifacts, and the fast refusal
of an http store that does not answer."""

import re
from pathlib import Path

import pytest

from nn_estimator.adapters.tracking import artifact_location, check_reachable
from nn_estimator.errors import TrackingUnavailableError


@pytest.mark.parametrize(
    ("tracking_uri", "expected"),
    [
        ("sqlite:////srv/var/mlflow.db", Path("/srv/var/mlartifacts").as_uri()),
        ("sqlite:///var/mlflow.db", (Path.cwd() / "var" / "mlartifacts").as_uri()),
        ("sqlite:///:memory:", None),
        ("http://127.0.0.1:5000", None),
        ("postgresql://mlflow@db/mlflow", None),
    ],
    ids=["sqlite-absolute", "sqlite-relative", "sqlite-memory", "http", "postgres"],
)
def test_artifact_location_is_beside_a_sqlite_store_only(
    tracking_uri: str, expected: str | None
) -> None:
    assert artifact_location(tracking_uri) == expected


def test_only_an_http_store_is_probed() -> None:
    check_reachable("sqlite:////nonexistent/mlflow.db")  # no probe, no error
    with pytest.raises(
        TrackingUnavailableError, match=re.escape("http://127.0.0.1:9 is unreachable")
    ):
        check_reachable("http://127.0.0.1:9", timeout_seconds=1.0)  # discard port: refuses
