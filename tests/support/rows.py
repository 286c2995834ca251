"""Factories for rows written straight into the test database (prices, models, predictions)
and synthetic price paths."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert

from stock_db import models, predictions, prices

UTC = dt.UTC


def trading_days(start: str, count: int) -> list[dt.date]:
    return [day.date() for day in pd.bdate_range(start, periods=count)]


def insert_prices(
    engine: Engine,
    days: Sequence[dt.date],
    closes: Sequence[float] | np.ndarray,
    volumes: Sequence[int] | np.ndarray | None = None,
    ticker: str = "MSFT",
) -> None:
    volumes = volumes if volumes is not None else [1_000_000] * len(days)
    loaded_at = dt.datetime(2024, 1, 1, tzinfo=UTC)
    rows = [
        {
            "ticker": ticker,
            "date": day,
            "open": close,
            "high": close,
            "low": close,
            "close": float(close),
            "volume": int(volume),
            "source": "test",
            "loaded_at": loaded_at,
        }
        for day, close, volume in zip(days, closes, volumes, strict=True)
    ]
    with engine.begin() as connection:
        connection.execute(insert(prices), rows)


def insert_model(
    engine: Engine,
    version: int,
    train_start: dt.date,
    train_end: dt.date,
    status: str = "champion",
    metrics: dict[str, Any] | None = None,
    ticker: str = "MSFT",
) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(models),
            {
                "ticker": ticker,
                "name": f"lstm-{ticker}",
                "version": version,
                "run_id": f"run{version}",
                "status": status,
                "trained_at": dt.datetime(2024, 1, 1, tzinfo=UTC),
                "train_start": train_start,
                "train_end": train_end,
                "metrics": metrics or {},
                "promoted_at": dt.datetime(2024, 1, 2, tzinfo=UTC)
                if status == "champion"
                else None,
            },
        )


def prediction_row(
    as_of: dt.date,
    target_date: dt.date,
    predicted: float,
    version: int = 1,
    horizon: int = 1,
    requested_at: dt.datetime | None = None,
    ticker: str = "MSFT",
    as_of_close: float | None = None,
) -> dict[str, Any]:
    """A predictions row; `as_of_close` (the close at as_of stored with the forecast) is set
    only when given, so the row also fits a table without that column."""
    extra = {} if as_of_close is None else {"as_of_close": float(as_of_close)}
    return extra | {
        "ticker": ticker,
        "model_version": version,
        "requested_at": requested_at or dt.datetime(2024, 6, 1, tzinfo=UTC),
        "as_of": as_of,
        "target_date": target_date,
        "horizon": horizon,
        "predicted": float(predicted),
        "lower": float(predicted) - 1.0,
        "upper": float(predicted) + 1.0,
        "latency_seconds": 0.001,
    }


def insert_predictions(engine: Engine, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(predictions), rows)


def random_walk(count: int, volatility: float, seed: int, start: float = 100.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start * np.exp(np.cumsum(rng.normal(0.0, volatility, count)))
