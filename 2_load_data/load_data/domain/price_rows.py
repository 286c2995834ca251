"""Pure operations on price frames: the column contract, cleaning and the diff that decides
which rows a load inserts or updates.

A price frame has one row per trading day and the columns PRICE_COLUMNS: `date` as
datetime64 at midnight (no time zone), the four prices as float64 and `volume` as int64.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

PRICE_COLUMNS = ["date", "open", "high", "low", "close", "volume"]
VALUE_COLUMNS = ["open", "high", "low", "close", "volume"]
PRICE_FIELDS = ["open", "high", "low", "close"]
# The model computes in float32: a price below its smallest normal number or above its largest
# would become 0 (or lose precision) or inf there.
FLOAT32_SMALLEST_NORMAL = float(np.finfo(np.float32).tiny)  # about 1.18e-38
FLOAT32_LARGEST = float(np.finfo(np.float32).max)  # about 3.40e38


@dataclass(frozen=True)
class CleanedPrices:
    """The rows fit to store, and how many were dropped for which reason."""

    frame: pd.DataFrame
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def clean_prices(
    frame: pd.DataFrame, start: date, end: date, last_completed: date | None = None
) -> CleanedPrices:
    """Keep the rows inside [start, end] that are fit to store.

    Rows that break a check (missing values, prices that are not finite, not positive or
    outside float32's normal range, high below low, a negative or absurd volume, a session
    after `last_completed` (load_data.domain.sessions), or that repeat a date are dropped and
    counted by reason, so one bad row from a source does not sink a whole load; rows outside
    the range are simply not part of the request. `last_completed` None: no session rule.
    """
    missing = [name for name in PRICE_COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"price frame lacks columns {missing}")
    data = frame[PRICE_COLUMNS].copy()
    data["date"] = pd.to_datetime(data["date"]).dt.normalize()
    for name in VALUE_COLUMNS:
        data[name] = pd.to_numeric(data[name], errors="coerce").astype("float64")
    in_range = (data["date"] >= pd.Timestamp(start)) & (data["date"] <= pd.Timestamp(end))
    data = data[in_range | data["date"].isna()]

    prices = data[PRICE_FIELDS]
    checks: dict[str, pd.Series] = {
        "missing value": data[VALUE_COLUMNS].isna().any(axis=1) | data["date"].isna(),
        "non-finite price": prices.isin([np.inf, -np.inf]).any(axis=1),
        "non-positive price": (prices <= 0).any(axis=1),
        "price outside float32 range": (
            (prices < FLOAT32_SMALLEST_NORMAL) | (prices > FLOAT32_LARGEST)
        ).any(axis=1),
        "high below low": data["high"] < data["low"],
        "negative volume": data["volume"] < 0,
        # BIGINT holds < 2**63; a larger count is a unit mix-up, not a trade volume.
        "volume out of range": data["volume"] >= 2.0**63,
        "session not completed": (
            data["date"] > pd.Timestamp(last_completed)
            if last_completed is not None
            else pd.Series(False, index=data.index)
        ),
    }
    reasons: dict[str, int] = {}
    bad = pd.Series(False, index=data.index)
    for reason, mask in checks.items():
        newly_bad = mask & ~bad
        if newly_bad.any():
            reasons[reason] = int(newly_bad.sum())
        bad |= mask
    data = data[~bad]

    duplicated = data["date"].duplicated(keep="last")
    if duplicated.any():
        reasons["duplicate date"] = int(duplicated.sum())
    data = data[~duplicated].sort_values("date").reset_index(drop=True)
    data["volume"] = np.rint(data["volume"]).astype("int64")
    return CleanedPrices(frame=data, rejected=sum(reasons.values()), reasons=reasons)


@dataclass(frozen=True)
class PriceDiff:
    new: pd.DataFrame
    changed: pd.DataFrame


def diff_prices(incoming: pd.DataFrame, existing: pd.DataFrame, source: str) -> PriceDiff:
    """Split `incoming` into rows whose date is not stored yet and rows whose stored values
    or source label differ. `existing` holds the stored rows of the same dates (PRICE_COLUMNS
    plus `source`). Identical rows are neither, which is what makes a repeated load a no-op."""
    if existing.empty:
        return PriceDiff(new=incoming, changed=incoming.iloc[0:0])
    stored = existing[[*PRICE_COLUMNS, "source"]].copy()
    stored["date"] = pd.to_datetime(stored["date"]).dt.normalize()
    stored = stored.rename(columns={name: f"{name}_stored" for name in [*VALUE_COLUMNS, "source"]})
    incoming = incoming.reset_index(drop=True)
    merged = incoming.merge(stored, on="date", how="left", indicator=True)
    is_new = (merged["_merge"] == "left_only").to_numpy()
    differs = merged["source_stored"].to_numpy() != source
    for name in VALUE_COLUMNS:
        differs |= merged[name].to_numpy(dtype="float64") != merged[f"{name}_stored"].to_numpy(
            dtype="float64"
        )
    is_changed = ~is_new & differs
    return PriceDiff(
        new=incoming[is_new].reset_index(drop=True),
        changed=incoming[is_changed].reset_index(drop=True),
    )
