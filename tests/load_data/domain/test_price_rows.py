"""Cleaning and diffing price frames, as tables of cases."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from load_data.domain.price_rows import clean_prices, diff_prices


def _frame(*rows: tuple[object, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "open", "high", "low", "close", "volume"])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("2024-01-03", np.nan, 2.0, 1.0, 1.5, 10), "missing value"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, np.nan), "missing value"),
        (("not a date", 1.0, 2.0, 1.0, 1.5, 10), "missing value"),
        (("2024-01-03", 0.0, 2.0, 1.0, 1.5, 10), "non-positive price"),
        (("2024-01-03", 1.0, 2.0, -1.0, 1.5, 10), "non-positive price"),
        (("2024-01-03", 1.5, 1.0, 2.0, 1.5, 10), "high below low"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, -5), "negative volume"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, 1e19), "volume out of range"),
        (("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10), "duplicate date"),
    ],
)
def test_rows_breaking_the_checks_are_dropped_and_counted(
    row: tuple[object, ...], reason: str
) -> None:
    good = ("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10)
    frame = _frame(good, row)
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    cleaned = clean_prices(frame, date(2024, 1, 1), date(2024, 1, 31))
    assert cleaned.rejected == 1
    assert cleaned.reasons == {reason: 1}
    assert len(cleaned.frame) == 1
    assert cleaned.frame["volume"].dtype == "int64"


def test_rows_outside_the_range_are_not_counted_as_rejected() -> None:
    frame = _frame(("2023-12-29", 1.0, 2.0, 1.0, 1.5, 10), ("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10))
    cleaned = clean_prices(frame, date(2024, 1, 1), date(2024, 1, 31))
    assert (cleaned.rejected, len(cleaned.frame)) == (0, 1)


def test_diff_splits_new_changed_and_identical_rows() -> None:
    incoming = clean_prices(
        _frame(
            ("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10),  # identical to stored
            ("2024-01-03", 1.0, 2.0, 1.0, 1.6, 10),  # close changed
            ("2024-01-04", 1.0, 2.0, 1.0, 1.5, 10),  # same values, other source label
            ("2024-01-05", 1.0, 2.0, 1.0, 1.5, 10),  # new
        ),
        date(2024, 1, 1),
        date(2024, 1, 31),
    ).frame
    stored = _frame(
        (date(2024, 1, 2), 1.0, 2.0, 1.0, 1.5, 10),
        (date(2024, 1, 3), 1.0, 2.0, 1.0, 1.5, 10),
        (date(2024, 1, 4), 1.0, 2.0, 1.0, 1.5, 10),
    )
    stored["source"] = ["sample", "sample", "yahoo"]
    diff = diff_prices(incoming, stored, "sample")
    assert diff.new["date"].dt.day.tolist() == [5]
    assert diff.changed["date"].dt.day.tolist() == [3, 4]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("2024-01-03", np.inf, 2.0, 1.0, 1.5, 10), "non-finite price"),
        (("2024-01-03", 1.0, np.inf, 1.0, 1.5, 10), "non-finite price"),
        (("2024-01-03", 1.0, 2.0, -np.inf, 1.5, 10), "non-finite price"),
        (("2024-01-03", 1.0, 2.0, 1.0, 1e308, 10), "price outside float32 range"),
        (("2024-01-03", 1.0, 1e39, 1.0, 1.5, 10), "price outside float32 range"),
        (("2024-01-03", 1e-50, 2.0, 1e-50, 1.5, 10), "price outside float32 range"),
        (("2024-01-03", 1.0, 2.0, 1e-39, 1.5, 10), "price outside float32 range"),  # subnormal
        (("2024-01-03", 1.0, 2.0, 1.0, 1.5, np.inf), "volume out of range"),
    ],
)
def test_prices_the_model_cannot_compute_with_are_rejected(
    row: tuple[object, ...], reason: str
) -> None:
    """The model computes in float32: prices must be finite and inside its normal range."""
    frame = _frame(("2024-01-02", 1.0, 2.0, 1.0, 1.5, 10), row)
    frame["date"] = pd.to_datetime(frame["date"])
    cleaned = clean_prices(frame, date(2024, 1, 1), date(2024, 1, 31))
    assert (cleaned.rejected, cleaned.reasons) == (1, {reason: 1})


@pytest.mark.parametrize("price", [1.2e-38, 3.4e38, 0.0001, 1e6])
def test_prices_inside_float32_range_are_kept(price: float) -> None:
    frame = _frame(("2024-01-02", price, price, price, price, 10))
    frame["date"] = pd.to_datetime(frame["date"])
    assert clean_prices(frame, date(2024, 1, 1), date(2024, 1, 31)).rejected == 0
