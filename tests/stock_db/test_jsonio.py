"""JSON as the suite writes it: never NaN or Infinity."""

import math

import pytest

from stock_db.jsonio import StrictJSONResponse, json_safe


def test_strict_response_refuses_nan_and_infinity() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        StrictJSONResponse({"avg_seconds": math.nan})
    with pytest.raises(ValueError):
        StrictJSONResponse({"p95_seconds": math.inf})


def test_echoed_input_stays_encodable() -> None:
    assert json_safe({"start_date": math.nan, "body": b"\xffNaN", "n": [1, math.inf]}) == {
        "start_date": "nan",
        "body": "\ufffdNaN",
        "n": [1, "inf"],
    }
