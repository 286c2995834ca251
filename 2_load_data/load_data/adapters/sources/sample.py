"""The bundled sample: real MSFT daily history shipped inside the package (see README)."""

from datetime import date
from functools import cache
from importlib import resources

import pandas as pd

from load_data.adapters.sources.base import TickerNotInSource

SAMPLE_TICKERS = frozenset({"MSFT"})


@cache
def _sample_history() -> pd.DataFrame:
    # Read once per process: the file never changes while the service runs.
    data = resources.files("load_data").joinpath("data/msft_daily.csv.gz")
    with data.open("rb") as handle:
        frame = pd.read_csv(handle, compression="gzip", parse_dates=["date"])
    return frame


class SampleSource:
    """Offline source: MSFT 1986-03-13..2017-11-10, nothing else."""

    name = "sample"
    tickers = SAMPLE_TICKERS

    def fetch(self, ticker: str, start: date, end: date) -> pd.DataFrame:
        if ticker not in SAMPLE_TICKERS:
            raise TickerNotInSource(
                ticker,
                f"the bundled sample has no ticker {ticker!r}: it only has MSFT "
                "(1986-03-13..2017-11-10); use source 'yahoo' or 'csv:PATH' for other tickers",
            )
        history = _sample_history()
        wanted = (history["date"] >= pd.Timestamp(start)) & (history["date"] <= pd.Timestamp(end))
        return history[wanted].reset_index(drop=True)
