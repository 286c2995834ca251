"""JSON as the suite writes it: compact, UTF-8, and never NaN or Infinity (not JSON)."""

import json
import math
from typing import Any

from fastapi.responses import JSONResponse


def json_bytes(content: Any) -> bytes:
    """JSON as Starlette's JSONResponse encodes it, but refusing NaN/inf (ValueError)."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def json_safe(value: Any) -> Any:
    """A value that can be echoed back in an error: non-finite floats and bytes (a malformed
    body) become text, so the error response itself stays encodable."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class StrictJSONResponse(JSONResponse):
    """A non-finite float raises (a bug to fix) rather than reaching a client as `NaN`. As an
    app's default response class it also keeps FastAPI off its pydantic fast path, which
    would silently turn NaN into null."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)
