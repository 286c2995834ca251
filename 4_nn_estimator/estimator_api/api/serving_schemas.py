"""Bodies of the model-serving routes (GET /model, GET /ready, POST /admin/reload)."""

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

RELOAD_OUTCOMES = (
    "loaded | unchanged | no_champion | failed | refused | fallback | skipped_failed | "
    "registry_error"
)


class ModelResponse(BaseModel):
    ticker: str
    name: str
    version: int = Field(description="The version served.")
    alias: str | None = Field(
        description="'champion' when the served version holds the registry alias; null when "
        "another version is served (see serving_reason)."
    )
    champion_version: int | None = Field(
        default=None,
        description="The version the alias `champion` named at the last registry look-up.",
    )
    serving_reason: str | None = Field(
        default=None,
        description="Why the served version is not the alias' version (refused by the gate "
        "check, failed to load, fallback to the last good version); null when it is.",
    )
    run_id: str
    status: str | None = Field(
        description="The version's status in the models table: champion | retired | rejected."
    )
    trained_at: str | None
    train_start: str | None
    train_end: str | None
    input_length: int
    max_horizon: int
    interval: float | None
    loaded_at: dt.datetime
    metrics: dict[str, Any] | None


class ReadyResponse(BaseModel):
    ready: bool = Field(description="At least one ticker has a model loaded.")
    models: dict[str, int] = Field(description="Served version per ticker.")
    degraded: dict[str, str] = Field(
        default_factory=dict,
        description="Tickers not served their registry champion, with what is served instead "
        "and why, e.g. {'MSFT': 'serving v3: champion v4 failed to load: ...'}.",
    )


class ReloadOutcome(BaseModel):
    ticker: str
    outcome: str = Field(description=RELOAD_OUTCOMES)
    version: int | None = Field(
        description="The version concerned: loaded, refused or failed, or the fallback served."
    )
    error: str | None


class ReloadResponse(BaseModel):
    results: list[ReloadOutcome]
