"""The bundled MSFT sample (2_load_data's offline source) as test data."""

from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from stock_db import prices
from support.database import REPO_ROOT

SAMPLE = REPO_ROOT / "2_load_data/load_data/data/msft_daily.csv.gz"
TICKER = "MSFT"


def read_sample() -> pd.DataFrame:
    """Every sample row, `date` as datetime.date, oldest first."""
    frame = pd.read_csv(SAMPLE, parse_dates=["date"])
    frame["date"] = frame["date"].dt.date
    return frame


def insert_prices(engine: Engine, frame: pd.DataFrame, ticker: str = TICKER) -> None:
    """Price rows (date, open, high, low, close, volume) straight into `prices`."""
    rows = frame.assign(ticker=ticker, source="sample", loaded_at=datetime.now(UTC))
    with engine.begin() as connection:
        connection.execute(insert(prices), cast(list[dict[str, Any]], rows.to_dict("records")))


@pytest.fixture(scope="session")
def sample_frame() -> pd.DataFrame:
    return read_sample()


@pytest.fixture(scope="session")
def sample_closes(sample_frame: pd.DataFrame) -> np.ndarray:
    return sample_frame["close"].to_numpy(dtype=np.float64)
