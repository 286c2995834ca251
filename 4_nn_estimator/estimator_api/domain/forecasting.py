"""Pure decisions of a forecast request: which window of closes, which horizon, which steps,
and whether a model's output is fit to serve. No I/O and no torch here; the api turns an
InputError into a 422 naming the field."""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from nn_estimator.domain.series import CloseSeries

# The model computes in float32: a close outside float32's normal range becomes inf, 0 or a
# denormal there, and the forecast would be meaningless (or not finite).
FLOAT32_MIN_NORMAL = float(np.finfo(np.float32).tiny)  # 1.1754943508222875e-38
FLOAT32_MAX = float(np.finfo(np.float32).max)  # 3.4028234663852886e+38
PRICE_RANGE_MESSAGE = (
    "history must contain prices inside float32's normal range "
    f"({FLOAT32_MIN_NORMAL:.8g} to {FLOAT32_MAX:.8g}): the model computes in float32"
)
NOT_FORECASTABLE_MESSAGE = (
    "the model's forecast for this input is not a finite number: the closes are outside what "
    "the model can forecast"
)


class InputError(ValueError):
    """A request the service understands but cannot answer as asked (a 422)."""

    def __init__(
        self, field: str, message: str, kind: str = "value_error", location: str = "body"
    ) -> None:
        super().__init__(message)
        self.location = location  # body | query
        self.field = field
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Step:
    step: int
    date: dt.date | None
    close: float
    lower: float
    upper: float


def check_horizon(horizon: int, max_horizon: int) -> None:
    if not 1 <= horizon <= max_horizon:
        raise InputError(
            "horizon",
            f"horizon must be between 1 and {max_horizon} (the model's max_horizon), got {horizon}",
            "horizon_out_of_range",
        )


def window_for_date(
    series: CloseSeries, day: dt.date, input_length: int
) -> tuple[dt.date, np.ndarray]:
    """The last `input_length` closes up to the last close on or before `day`, and that
    close's date (as_of). A day after the newest close forecasts from the newest close."""
    end = int(np.searchsorted(series.dates, np.datetime64(day, "D"), side="right"))
    if end < input_length:
        first_allowed = (
            series.dates[input_length - 1].item() if len(series) >= input_length else None
        )
        hint = (
            f"the first date with a full window of {input_length} closes is {first_allowed}"
            if first_allowed
            else f"only {len(series)} closes are stored, {input_length} are needed"
        )
        raise InputError(
            "date",
            f"{day} is before the first full input window for {series.ticker}: {hint}",
            "date_before_first_window",
        )
    as_of: dt.date = series.dates[end - 1].item()
    return as_of, series.closes[end - input_length : end]


def window_from_history(history: Sequence[float], input_length: int) -> np.ndarray:
    """The last `input_length` closes of an explicit series (validated again here, so the
    rule holds whatever the caller's schema checked)."""
    if len(history) < input_length:
        raise InputError(
            "history",
            f"history needs at least {input_length} closes (the model's input_length), "
            f"got {len(history)}",
            "history_too_short",
        )
    window = np.asarray(history[-input_length:], dtype=np.float64)
    # NaN fails both comparisons, so it is refused too.
    if not (np.all(window >= FLOAT32_MIN_NORMAL) and np.all(window <= FLOAT32_MAX)):
        raise InputError("history", PRICE_RANGE_MESSAGE, "history_invalid")
    return window


def build_steps(
    output: np.ndarray, horizon: int, dates: Sequence[dt.date] | None, field: str = "history"
) -> list[Step]:
    """Steps 1..horizon from one model output of shape (H, 3) = [lower, point, upper].
    The band is widened to contain the point: quantile heads can cross on unusual windows,
    and the predictions table requires lower <= predicted <= upper. An output that is not
    finite (extreme closes overflow float32 inside the model) is an InputError naming `field`
    (the request's input): it is never answered nor logged."""
    values = output[:horizon].tolist()
    if not all(map(math.isfinite, chain.from_iterable(values))):
        raise InputError(field, NOT_FORECASTABLE_MESSAGE, "forecast_not_finite")
    steps = []
    for i, (lower, point, upper) in enumerate(values):
        steps.append(
            Step(
                step=i + 1,
                date=dates[i] if dates is not None else None,
                close=point,
                lower=min(lower, point),
                upper=max(upper, point),
            )
        )
    return steps


def check_output(output: np.ndarray, batch: int, max_horizon: int) -> None:
    """Raise if a model's output is not (batch, H, 3) finite prices: used to validate a
    model before it is swapped in."""
    expected = (batch, max_horizon, 3)
    if output.shape != expected:
        raise ValueError(f"model output has shape {output.shape}, expected {expected}")
    if not np.all(np.isfinite(output)):
        raise ValueError("model output contains NaN or infinite values")


def validation_windows(closes: np.ndarray | None, input_length: int) -> np.ndarray:
    """Two windows to try a new model on: the newest real one and one five closes older when
    enough prices are stored, otherwise a gentle synthetic ramp and its reverse (a service
    with no prices yet serves histories only)."""
    if closes is not None and len(closes) >= input_length + 5:
        return np.stack([closes[-input_length:], closes[-input_length - 5 : -5]])
    ramp = 100.0 * np.exp(np.linspace(0.0, 0.05, input_length))
    return np.stack([ramp, ramp[::-1]])


REQUIRED_ROW_FIELDS = (
    "ticker",
    "model_version",
    "requested_at",
    "as_of",
    "target_date",
    "horizon",
    "predicted",
    "lower",
    "upper",
    "latency_seconds",
)


def prediction_row_problem(row: Mapping[str, Any]) -> str | None:
    """Why the `predictions` table would refuse this row (None if it would not): every column
    set, finite numbers, lower <= predicted <= upper, target_date after as_of, horizon >= 1,
    latency >= 0. The table checks the same; checking first keeps one bad row from failing a
    whole batch."""
    missing = [name for name in REQUIRED_ROW_FIELDS if row.get(name) is None]
    if missing:
        return f"missing {', '.join(missing)}"
    numbers = (row["predicted"], row["lower"], row["upper"], row["latency_seconds"])
    if not all(map(math.isfinite, numbers)):
        return f"not finite: predicted/lower/upper/latency = {numbers}"
    lower, predicted, upper = row["lower"], row["predicted"], row["upper"]
    if not lower <= predicted <= upper:
        return f"band not ordered: lower {lower}, predicted {predicted}, upper {upper}"
    if not row["target_date"] > row["as_of"]:
        return f"target_date {row['target_date']} is not after as_of {row['as_of']}"
    if row["horizon"] < 1:
        return f"horizon {row['horizon']} < 1"
    if row["latency_seconds"] < 0:
        return f"negative latency {row['latency_seconds']}"
    return None
