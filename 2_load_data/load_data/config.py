"""Settings of the load_data service: the suite's (DATABASE_URL, TICKERS, ADMIN_TOKEN) plus
where prices come from, how hard to try Yahoo, and whose trading sessions count."""

from pydantic import Field, field_validator

from load_data.adapters.exchange_calendar import is_known_calendar
from stock_db.settings import SuiteSettings


class Settings(SuiteSettings):
    # `yahoo`, `sample` (bundled MSFT history) or `csv:PATH` (read at each load).
    price_source: str = "yahoo"
    # Yahoo is flaky and rate limits: a bounded number of attempts with exponential backoff.
    yahoo_attempts: int = Field(default=3, ge=1, le=10)
    yahoo_backoff_seconds: float = Field(default=1.0, ge=0)
    yahoo_backoff_max_seconds: float = Field(default=20.0, ge=0)
    # exchange_calendars name whose session closes decide which bars are complete (a bar of a
    # session that has not closed yet is an intraday price, not a close).
    exchange_calendar: str = "XNYS"

    @field_validator("price_source")
    @classmethod
    def _check_price_source(cls, value: str) -> str:
        value = value.strip()
        if value in ("yahoo", "sample") or (value.startswith("csv:") and len(value) > 4):
            return value
        raise ValueError(f"PRICE_SOURCE must be 'yahoo', 'sample' or 'csv:PATH', not {value!r}")

    @field_validator("exchange_calendar")
    @classmethod
    def _check_exchange_calendar(cls, value: str) -> str:
        value = value.strip().upper()
        if not is_known_calendar(value):
            raise ValueError(
                f"EXCHANGE_CALENDAR {value!r} is not an exchange_calendars name (e.g. XNYS)"
            )
        return value
