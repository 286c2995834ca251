"""A JSON response that refuses NaN and infinity instead of writing invalid JSON."""

import json
from typing import Any

from fastapi.responses import JSONResponse


class StrictJSONResponse(JSONResponse):
    """json.dumps with allow_nan=False: a non-finite float raises (a bug to fix, surfaced as a
    500) rather than reaching the dashboard as `NaN`, which is not JSON. Set as the app's
    default response class, it also keeps FastAPI off its pydantic fast path, which would
    silently turn NaN into null."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode("utf-8")
