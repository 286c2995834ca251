"""Non-finite floats never reach an answer: a figure that cannot be computed is None."""

import math
from typing import Any


def finite_or_none(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def without_non_finite(document: Any) -> Any:
    """A JSON-like document with NaN/inf floats replaced by None, at any depth."""
    if isinstance(document, float):
        return finite_or_none(document)
    if isinstance(document, dict):
        return {key: without_non_finite(value) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [without_non_finite(value) for value in document]
    return document
