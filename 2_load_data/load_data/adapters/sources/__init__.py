"""Price sources behind one interface (`PriceSource`), chosen by a setting string."""

from typing import Protocol

from load_data.adapters.sources.base import (
    PriceSource,
    SourceError,
    TickerNotFoundUpstream,
    TickerNotInSource,
    UpstreamUnavailable,
)
from load_data.adapters.sources.csv_file import CsvFileSource
from load_data.adapters.sources.sample import SampleSource
from load_data.adapters.sources.yahoo import DownloadFunction, YahooSource

__all__ = [
    "CsvFileSource",
    "DownloadFunction",
    "PriceSource",
    "SampleSource",
    "SourceError",
    "TickerNotFoundUpstream",
    "TickerNotInSource",
    "UpstreamUnavailable",
    "YahooSource",
    "source_for_settings",
    "source_from_setting",
]


def source_from_setting(
    setting: str,
    *,
    yahoo_download: DownloadFunction | None = None,
    yahoo_attempts: int = 3,
    yahoo_backoff_seconds: float = 1.0,
    yahoo_backoff_max_seconds: float = 20.0,
) -> PriceSource:
    """`"yahoo"`, `"sample"` or `"csv:PATH"` -> the source; anything else is a ValueError."""
    setting = setting.strip()
    if setting == "yahoo":
        return YahooSource(
            download=yahoo_download,
            attempts=yahoo_attempts,
            backoff_seconds=yahoo_backoff_seconds,
            backoff_max_seconds=yahoo_backoff_max_seconds,
        )
    if setting == "sample":
        return SampleSource()
    if setting.startswith("csv:") and len(setting) > 4:
        return CsvFileSource(setting.removeprefix("csv:"))
    raise ValueError(f"unknown price source {setting!r}: use 'yahoo', 'sample' or 'csv:PATH'")


class _YahooSettings(Protocol):
    yahoo_attempts: int
    yahoo_backoff_seconds: float
    yahoo_backoff_max_seconds: float


def source_for_settings(
    settings: _YahooSettings, yahoo_download: DownloadFunction | None, setting: str
) -> PriceSource:
    """`source_from_setting` with the retry policy of the service's settings."""
    return source_from_setting(
        setting,
        yahoo_download=yahoo_download,
        yahoo_attempts=settings.yahoo_attempts,
        yahoo_backoff_seconds=settings.yahoo_backoff_seconds,
        yahoo_backoff_max_seconds=settings.yahoo_backoff_max_seconds,
    )
