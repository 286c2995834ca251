"""Has the source re-based its history? Yahoo's adjusted prices are recomputed at every
dividend or split, so the same day comes back with a different close: storing the new days
beside the old ones would put two adjustment bases side by side, and the junction would look
like a one-day return of the dividend's size. The remedy (re-loading the whole history) is the
use case's; telling that it happened is this module's.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

# Relative disagreement on a close that counts as a re-base; float noise between two
# downloads of the same value is far below it.
REBASE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Rebase:
    """Stored closes of the same source that the fresh rows contradict."""

    days: int  # overlapping days whose close disagrees beyond the tolerance
    first_date: date  # the earliest of them, as an example
    stored_close: float
    fetched_close: float

    def describe(self) -> str:
        ratio = self.fetched_close / self.stored_close
        return (
            f"{self.days} stored day(s) disagree with the source, e.g. {self.first_date}: "
            f"close {self.stored_close:g} stored, {self.fetched_close:g} now (x{ratio:.6g})"
        )


def find_rebase(
    incoming: pd.DataFrame,
    stored: pd.DataFrame,
    source: str,
    tolerance: float = REBASE_TOLERANCE,
) -> Rebase | None:
    """The disagreement between `incoming` (a price frame) and the `stored` rows of the same
    dates (price columns plus `source`), counting only rows stored under the label `source`,
    or None when every overlapping close agrees within `tolerance` (relative)."""
    if incoming.empty or stored.empty:
        return None
    same_source = stored.loc[stored["source"] == source, ["date", "close"]].copy()
    same_source["date"] = pd.to_datetime(same_source["date"]).dt.normalize()
    merged = incoming[["date", "close"]].merge(
        same_source, on="date", suffixes=("_fetched", "_stored")
    )
    if merged.empty:
        return None
    fetched = merged["close_fetched"].to_numpy("float64")
    kept = merged["close_stored"].to_numpy("float64")
    disagrees = np.abs(fetched - kept) > tolerance * np.abs(kept)
    if not disagrees.any():
        return None
    first = merged[disagrees].sort_values("date").iloc[0]
    return Rebase(
        days=int(disagrees.sum()),
        first_date=pd.Timestamp(first["date"]).date(),
        stored_close=float(first["close_stored"]),
        fetched_close=float(first["close_fetched"]),
    )
