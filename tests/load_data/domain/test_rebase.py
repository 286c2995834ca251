"""Telling a re-based adjusted history from a new day: stored closes of the same source that
the fresh download contradicts."""

import pandas as pd
import pytest

from load_data.domain.rebase import find_rebase

DAYS = ["2024-01-02", "2024-01-03", "2024-01-04"]


def _prices(closes: list[float], days: list[str] = DAYS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(days),
            "open": closes,
            "high": closes,
            "low": closes,
            "close": closes,
            "volume": 10,
        }
    )


def _stored(closes: list[float], source: str = "yahoo") -> pd.DataFrame:
    stored = _prices(closes)
    stored["date"] = stored["date"].dt.date  # as the database returns them
    stored["source"] = source
    return stored


@pytest.mark.parametrize(
    ("incoming", "stored", "days"),
    [
        (_prices([100.0, 101.0, 102.0]), _stored([100.0, 101.0, 102.0]), None),  # identical
        (_prices([100.00001, 101.0, 102.0]), _stored([100.0, 101.0, 102.0]), None),  # 1e-7
        (_prices([98.0, 98.98, 99.96]), _stored([100.0, 101.0, 102.0]), 3),  # dividend: x0.98
        (_prices([100.001, 101.0, 102.0]), _stored([100.0, 101.0, 102.0]), 1),  # 1e-5 on one day
        (_prices([98.0, 98.98, 99.96]), _stored([100.0, 101.0, 102.0], "sample"), None),  # label
        (_prices([98.0], ["2024-01-05"]), _stored([100.0, 101.0, 102.0]), None),  # no overlap
        (_prices([98.0], ["2024-01-02"]), _stored([1.0, 1.0, 1.0])[0:0], None),  # nothing stored
    ],
    ids=["same", "within tolerance", "dividend", "one day", "other label", "new day", "empty"],
)
def test_rebase_is_found_only_where_the_same_source_disagrees(
    incoming: pd.DataFrame, stored: pd.DataFrame, days: int | None
) -> None:
    found = find_rebase(incoming, stored, "yahoo", tolerance=1e-6)
    assert (found.days if found else None) == days


def test_the_rebase_names_an_example() -> None:
    found = find_rebase(_prices([98.0, 98.98, 99.96]), _stored([100.0, 101.0, 102.0]), "yahoo")
    assert found is not None
    assert (str(found.first_date), found.stored_close, found.fetched_close) == (
        "2024-01-02",
        100.0,
        98.0,
    )
    assert "2024-01-02" in found.describe() and "0.98" in found.describe()
