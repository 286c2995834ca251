"""The champion's training window, read once per request and shared by what is measured
against it: the drift reference (returns and volume), Hyndman's MASE scale (the in-sample
one-step naive MAE) and the drift forecast's rate (the mean daily log return)."""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from metrics_service.adapters import database
from metrics_service.adapters.database import ChampionRow
from metrics_service.domain import drift, quality

NO_CHAMPION = "no champion model row: no training window"


@dataclass(frozen=True)
class DateSpan:
    start: dt.date | None = None
    end: dt.date | None = None
    n: int = 0


@dataclass(frozen=True)
class WindowFigure:
    """A figure computed on the training window, with the window it came from."""

    value: float | None
    window: DateSpan = field(default_factory=DateSpan)
    reason: str | None = None


@dataclass(frozen=True)
class TrainingWindow:
    champion: ChampionRow | None
    returns: np.ndarray  # daily log returns, one per day in `days`
    volume: np.ndarray  # the volumes of the same days
    days: list[dt.date]
    span: DateSpan
    mase_scale: WindowFigure
    drift_rate: WindowFigure


def signals(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[dt.date]]:
    """Log returns, the volumes of the same days, and those days (the first close has none)."""
    returns = drift.log_returns(frame["close"].to_numpy(dtype=float))
    return returns, frame["volume"].to_numpy(dtype=float)[1:], list(frame["date"].iloc[1:])


def date_span(days: list[dt.date]) -> DateSpan:
    return DateSpan(start=days[0] if days else None, end=days[-1] if days else None, n=len(days))


def _figure(value: float | None, span: DateSpan, what: str) -> WindowFigure:
    if value is None:
        return WindowFigure(None, span, f"too few usable closes in the training window for {what}")
    return WindowFigure(value, span)


def training_window(
    connection: Connection, ticker: str, champion: ChampionRow | None
) -> TrainingWindow:
    """The champion's prices between train_start and train_end, and what they give."""
    if champion is None:
        empty = np.empty(0)
        missing = WindowFigure(None, DateSpan(), NO_CHAMPION)
        return TrainingWindow(None, empty, empty, [], DateSpan(), missing, missing)
    frame = database.prices_between(connection, ticker, champion.train_start, champion.train_end)
    returns, volume, days = signals(frame)
    span = date_span(days)
    closes = frame["close"].to_numpy(dtype=float)
    return TrainingWindow(
        champion=champion,
        returns=returns,
        volume=volume,
        days=days,
        span=span,
        mase_scale=_figure(quality.one_step_naive_mae(closes), span, "the MASE scale"),
        drift_rate=_figure(quality.mean_log_return(closes), span, "the drift rate"),
    )
