"""A figure that cannot be computed is None, never NaN."""

import math

from stock_db.numbers import finite_or_none, without_non_finite


def test_non_finite_json_becomes_null() -> None:
    document = {"mae": math.nan, "nested": [math.inf, 1.5], "name": "x"}
    assert without_non_finite(document) == {"mae": None, "nested": [None, 1.5], "name": "x"}


def test_finite_or_none() -> None:
    assert [finite_or_none(v) for v in (1.5, math.nan, -math.inf, None)] == [1.5, None, None, None]
