"""Request and response bodies of the api (separate from tables and model internals)."""

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from estimator_api.domain.forecasting import FLOAT32_MAX, FLOAT32_MIN_NORMAL

MAX_HISTORY_LENGTH = 10_000

# NaN and Infinity tokens (and 1e999) are a 422 (allow_inf_nan=False), and so is any price the
# model cannot represent: it computes in float32, so a close must lie inside float32's normal
# range (checked by pydantic-core itself: no Python per element).
Price = Annotated[float, Field(ge=FLOAT32_MIN_NORMAL, le=FLOAT32_MAX, allow_inf_nan=False)]


class PredictRequest(BaseModel):
    """Parsed strictly: a number must be a JSON number (`"horizon": "5"` is a 422), a date a
    "YYYY-MM-DD" string, and unknown fields are refused."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"ticker": "MSFT", "date": "2017-11-10", "horizon": 5},
                {"ticker": "MSFT", "horizon": 1},
                {"ticker": "MSFT", "history": [84.0, 84.3, 83.9, 84.2], "horizon": 3},
            ]
        },
    )

    ticker: str = Field(
        min_length=1, max_length=16, description="One of the served TICKERS (a JSON string)."
    )
    date: dt.date | None = Field(
        default=None,
        description='A "YYYY-MM-DD" string. Forecast from the last close on or before this day '
        "(default: the newest close). Steps are the next trading sessions of the exchange "
        "calendar.",
    )
    history: list[Price] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_HISTORY_LENGTH,
        description="Explicit daily closes as JSON numbers (not strings), oldest first, instead "
        "of `date`; the last `input_length` are used. Each must be inside float32's normal "
        "range (1.1754944e-38 to 3.4028235e+38: the model computes in float32). Steps then "
        "carry no dates (null) and are not logged.",
    )
    horizon: int = Field(
        default=1,
        ge=1,
        le=365,
        description="Steps to forecast, 1..the model's max_horizon: a JSON integer, not a string.",
    )

    @field_validator("ticker")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.strip().upper()

    @model_validator(mode="after")
    def _date_or_history(self) -> Self:
        if self.date is not None and self.history is not None:
            raise ValueError("give either `date` or `history`, not both")
        return self


class ModelSummary(BaseModel):
    name: str
    version: int
    trained_at: str | None


class PredictionStep(BaseModel):
    step: int = Field(description="1 = the next trading day after as_of.")
    date: dt.date | None = Field(description="The trading day forecast; null for a history.")
    close: float
    lower: float
    upper: float


class PredictResponse(BaseModel):
    ticker: str
    model: ModelSummary
    as_of: dt.date | None = Field(description="Date of the last close used; null for a history.")
    interval: float | None = Field(description="Nominal coverage of [lower, upper].")
    predictions: list[PredictionStep]


class InputErrorItem(BaseModel):
    """One problem of a 422: FastAPI's shape, `loc` naming the field (["body", "history", 3])."""

    type: str
    loc: list[str | int]
    msg: str
    input: Any = None


class InputErrorResponse(BaseModel):
    detail: list[InputErrorItem]


class ErrorMessage(BaseModel):
    detail: str


# --- the model-serving routes: GET /model, GET /ready, POST /admin/reload ---

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


# --- the model's history: GET /model/walk-forward, GET /models ---

# From a tiny model trained on the sample (tests/support/trained.py), rounded.
SERIES_POINT_EXAMPLE: dict[str, Any] = {
    "date": "2017-09-18",
    "slice": "holdout",
    "actual": 75.16,
    "lstm": 75.4083,
    "naive": 75.31,
    "drift": 75.41,
    "lower": 74.1837,
    "upper": 76.6532,
}


class SeriesPoint(BaseModel):
    """One evaluated day: the close, and each forecast made for it from the day before."""

    date: dt.date = Field(description="The target day (forecast from the previous close).")
    slice: str = Field(
        description="'validation' (the days that chose the epoch and calibrated the band) or "
        "'holdout' (the last days, used for nothing but evaluation)."
    )
    actual: float = Field(description="The close of `date`.")
    lstm: float = Field(description="The LSTM's forecast of it.")
    naive: float = Field(description="The previous close (tomorrow = today).")
    drift: float | None = Field(
        description="The previous close x exp(mean daily log return of the training slice)."
    )
    lower: float | None = Field(description="The LSTM's band, lower bound (null: no band).")
    upper: float | None = Field(description="The LSTM's band, upper bound (null: no band).")


class WalkForwardResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ticker": "MSFT",
                    "version": 1,
                    "horizon": 1,
                    "interval": 0.9,
                    "points": [SERIES_POINT_EXAMPLE],
                }
            ]
        }
    )

    ticker: str
    version: int = Field(description="The version served (whose training run logged these).")
    horizon: int = Field(description="Days ahead of each forecast: 1.")
    interval: float | None = Field(description="Nominal coverage of [lower, upper].")
    points: list[SeriesPoint] = Field(
        description="Out-of-sample forecasts only, one per evaluated day, date-ascending: the "
        "model was fixed before these days and forecast each from the closes before it."
    )


MODEL_VERSION_EXAMPLE: dict[str, Any] = {
    "version": 1,
    "name": "lstm-MSFT",
    "status": "champion",
    "trained_at": "2026-11-27T10:22:30.682722Z",
    "train_start": "2016-05-12",
    "train_end": "2017-09-15",
    "promoted_at": "2026-11-27T10:22:31.229723Z",
    "metrics": {"eval_start": "2017-09-18", "eval_end": "2017-11-10", "n_eval_days": 40},
    "gate": {
        "decision": "promote",
        "p_value": 0.7095,
        "reasons": [
            "Not significantly worse than the naive forecast at h=1: relative MAE 0.9813, "
            "one-sided Diebold-Mariano p = 0.71 (refused below 0.05).",
            "No champion yet: the baseline test alone decides.",
        ],
        "days": {"after": "2017-09-15", "n": 40, "start": "2017-09-18", "end": "2017-11-10"},
    },
}


class ModelVersionOut(BaseModel):
    version: int
    name: str
    status: str = Field(description="champion | retired | rejected (the models table's).")
    trained_at: dt.datetime
    train_start: dt.date
    train_end: dt.date = Field(description="The last day that shaped the model.")
    promoted_at: dt.datetime | None = Field(description="When the gate promoted it, if it did.")
    metrics: dict[str, Any] | None = Field(
        description="The walk-forward evaluation document (as in GET /model)."
    )
    gate: dict[str, Any] | None = Field(
        description="The gate's record as stored: decision (promote | reject), reasons, "
        "p_value, days, policy and every statistic; null for versions judged before it."
    )


class ModelVersionsResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ticker": "MSFT", "versions": [MODEL_VERSION_EXAMPLE]}]}
    )

    ticker: str
    versions: list[ModelVersionOut] = Field(description="Newest first; empty when none.")
