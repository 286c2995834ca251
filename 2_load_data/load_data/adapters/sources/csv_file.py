"""A CSV file as a price source, read at every fetch so that a file that grows is picked up.

The file has the columns date,open,high,low,close,volume and optionally `ticker`. With a
ticker column the requested ticker's rows are taken; without one, every row is taken as the
requested ticker's history.
"""

from datetime import date
from pathlib import Path

import pandas as pd

from load_data.adapters.sources.base import SourceError, TickerNotInSource
from load_data.domain.price_rows import PRICE_COLUMNS


class CsvFileSource:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # The stored label keeps only the file name: the column holds 64 characters.
        self.name = f"csv:{self.path.name}"[:64]

    def fetch(self, ticker: str, start: date, end: date) -> pd.DataFrame:
        try:
            frame = pd.read_csv(self.path)
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as error:
            raise SourceError(f"cannot read the price file {self.path}: {error}") from error
        frame.columns = [str(column).strip().lower() for column in frame.columns]
        missing = [name for name in PRICE_COLUMNS if name not in frame.columns]
        if missing:
            raise SourceError(
                f"the price file {self.path} lacks the columns {missing}; "
                f"expected {','.join(PRICE_COLUMNS)}[,ticker]"
            )
        if "ticker" in frame.columns:
            frame = frame[frame["ticker"].astype(str).str.strip().str.upper() == ticker]
            if frame.empty:
                raise TickerNotInSource(
                    ticker, f"the price file {self.path} has no rows for {ticker!r}"
                )
        dates = pd.to_datetime(frame["date"], format="ISO8601", errors="coerce")
        # Unparseable dates are kept so that the loader counts them as rejected rows.
        wanted = dates.isna() | ((dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end)))
        result = frame.loc[wanted, PRICE_COLUMNS].copy()
        result["date"] = dates[wanted]
        return result.reset_index(drop=True)
