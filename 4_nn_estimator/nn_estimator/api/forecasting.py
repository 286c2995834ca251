"""Pure decisions of a forecast request: which window of closes, which horizon, which dates.
No I/O and no torch here; the route turns an InputError into a 422 naming the field."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nn_estimator.data import CloseSeries


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
    if not np.all(np.isfinite(window)) or np.any(window <= 0):
        raise InputError(
            "history", "history must contain finite prices greater than 0", "history_invalid"
        )
    return window


def build_steps(output: np.ndarray, horizon: int, dates: Sequence[dt.date] | None) -> list[Step]:
    """Steps 1..horizon from one model output of shape (H, 3) = [lower, point, upper].
    The band is widened to contain the point: quantile heads can cross on unusual windows,
    and the predictions table requires lower <= predicted <= upper."""
    steps = []
    for i, (lower, point, upper) in enumerate(output[:horizon].tolist()):
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
