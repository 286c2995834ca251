"""What one request may ask for: dates the service handles, the history's range, and the
work its per-day drift may cost. Each refusal names the parameter (InvalidField.field), so
the answer is a 422 saying what to change."""

import datetime as dt

from stock_db.rules import InvalidField, parse_iso_date

# Dates outside these are refused (year 1 made `end - 180 days` overflow; no close is older).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
DEFAULT_RANGE_DAYS = 180
MAX_RANGE_DAYS = 731
# drift_window x days in the range: each day of the history compares `drift_window` returns
# (and volumes) with the training window. 400,000 is two years at drift_window 500, or 180
# days at 2,000; the default (180 days x 60) is 10,860.
MAX_DRIFT_VALUES = 400_000


def bounded_date(value: object, field: str) -> dt.date:
    """A strict ISO date (YYYY-MM-DD) between MIN_DATE and MAX_DATE."""
    day = parse_iso_date(value, field)
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidField(field, f"{field} {day} is outside {MIN_DATE}..{MAX_DATE}")
    return day


def history_range(
    start_date: dt.date | None, end_date: dt.date | None, last_price_date: dt.date
) -> tuple[dt.date, dt.date]:
    """The range asked for, defaults filled in (the 180 days up to the last close)."""
    end = end_date or last_price_date
    start = start_date or end - dt.timedelta(days=DEFAULT_RANGE_DAYS)
    if start > end:
        raise InvalidField("start_date", f"start_date {start} is after end_date {end}")
    if (end - start).days > MAX_RANGE_DAYS:
        raise InvalidField(
            "start_date", f"range {start}..{end} is longer than {MAX_RANGE_DAYS} days"
        )
    return start, end


def check_drift_budget(
    start: dt.date, end: dt.date, drift_window: int, budget: int = MAX_DRIFT_VALUES
) -> None:
    """Refuse a history whose per-day drift would compare more than `budget` values."""
    days = (end - start).days + 1
    if days * drift_window > budget:
        raise InvalidField(
            "drift_window",
            f"drift_window {drift_window} x {days} days in the range = "
            f"{days * drift_window:,} values compared, above the limit of {budget:,}: "
            f"shorten the range or use a drift_window of at most {max(budget // days, 1)}",
        )
