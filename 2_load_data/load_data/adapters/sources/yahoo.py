"""Yahoo Finance through yfinance 1.x, with bounded retries and failures that say what to do.

yfinance's `download` swallows most errors: it logs them on the `yfinance` logger as
"['MSFT']: DNSError(...)" and returns an empty frame. (`yfinance.shared._ERRORS` is no longer
filled by 1.x's download, so it cannot be inspected.) We therefore listen to that logger
during the calls to tell "unknown ticker" from "unreachable" or "rate limited". Offline,
a retry reports "possibly delisted; no timezone found" after the first attempt's DNS error,
so the verdict weighs the messages of every attempt, network errors first.

yfinance says five or so lines per failed attempt; during our calls they are kept from the
console (the logger stops propagating) and we log one WARNING line per failed attempt instead.
"""

import logging
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Literal

import pandas as pd
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from load_data.adapters.sources.base import TickerNotFoundUpstream, UpstreamUnavailable

log = logging.getLogger(__name__)

DownloadFunction = Callable[..., pd.DataFrame | None]
FailureKind = Literal["rate_limited", "unknown_ticker", "unreachable"]

OFFLINE_HINT = (
    'Set PRICE_SOURCE=sample (or send "source": "sample" with the request) to load the '
    "bundled MSFT history offline."
)
_RATE_LIMIT_MARKERS = ("YFRateLimitError", "Too Many Requests", "Rate limited")
_NETWORK_MARKERS = (
    "DNSError",
    "Could not resolve host",
    "curl: (",
    "Failed to perform",
    "Timeout",
    "ConnectionError",
    "YAHOO! FINANCE IS CURRENTLY DOWN",
)
_UNKNOWN_TICKER_MARKERS = (
    "possibly delisted",
    "YFTzMissingError",
    "YFPricesMissingError",
    "YFTickerMissingError",
    "symbol may be delisted",
)
# yfinance's download returns columns in this order for one ticker (multi_level_index=False).
YAHOO_COLUMNS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Volume": "volume"}


def classify_yahoo_failure(messages: list[str]) -> FailureKind:
    """What empty or failed downloads mean, from yfinance's messages of all attempts: a
    network failure anywhere outweighs "possibly delisted", which yfinance also says when it
    could not fetch the ticker's time zone."""
    text = "\n".join(messages)
    if any(marker in text for marker in _RATE_LIMIT_MARKERS):
        return "rate_limited"
    if any(marker in text for marker in _NETWORK_MARKERS):
        return "unreachable"
    if any(marker in text for marker in _UNKNOWN_TICKER_MARKERS):
        return "unknown_ticker"
    return "unreachable"


def yahoo_frame_to_prices(raw: pd.DataFrame) -> pd.DataFrame:
    """Turn yf.download's frame (DatetimeIndex 'Date', columns Close High Low Open Volume)
    into a price frame."""
    frame = raw
    if isinstance(frame.columns, pd.MultiIndex):  # defensive: multi_level_index ignored
        frame = frame.droplevel(list(range(1, frame.columns.nlevels)), axis=1)
    frame = frame.rename(columns=YAHOO_COLUMNS)[list(YAHOO_COLUMNS.values())]
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    frame = frame.reset_index(drop=True)
    frame.insert(0, "date", index.normalize())
    return frame


def _summary(messages: list[str], limit: int = 400) -> str:
    """yfinance's distinct messages, without its "N Failed download" headers, shortened."""
    distinct = dict.fromkeys(m for m in messages if m and "Failed download" not in m)
    text = "; ".join(distinct)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _AttemptFailed(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _ThreadMessages(logging.Handler):
    """Collects WARNING and ERROR records logged by the current thread only, so concurrent
    requests do not see each other's failures."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.thread_id = threading.get_ident()
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread_id:
            self.messages.append(record.getMessage().strip())


_quiet_lock = threading.Lock()
_quiet_calls = 0  # calls under way that keep the yfinance logger from the console


@contextmanager
def _yfinance_kept_off_the_console(logger: logging.Logger) -> Iterator[None]:
    """Stop the `yfinance` logger propagating to the root handlers while any of our calls
    runs (counted, so concurrent calls do not turn it back on under each other)."""
    global _quiet_calls
    with _quiet_lock:
        if _quiet_calls == 0:
            logger.propagate = False
        _quiet_calls += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_calls -= 1
            if _quiet_calls == 0:
                logger.propagate = True


@contextmanager
def capture_yfinance_messages(messages: list[str]) -> Iterator[None]:
    """Append what yfinance warns about or reports as errors, in this thread, to `messages`,
    instead of letting it reach the console."""
    handler = _ThreadMessages(messages)
    logger = logging.getLogger("yfinance")
    logger.addHandler(handler)
    try:
        with _yfinance_kept_off_the_console(logger):
            yield
    finally:
        logger.removeHandler(handler)


def _default_download() -> DownloadFunction:
    import yfinance  # imported lazily: it is slow to import and only this source needs it

    return yfinance.download


class YahooSource:
    name = "yahoo"

    def __init__(
        self,
        download: DownloadFunction | None = None,
        attempts: int = 3,
        backoff_seconds: float = 1.0,
        backoff_max_seconds: float = 20.0,
    ) -> None:
        self._download = download
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.backoff_max_seconds = backoff_max_seconds

    def fetch(self, ticker: str, start: date, end: date) -> pd.DataFrame:
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff_seconds, max=self.backoff_max_seconds),
            retry=retry_if_exception_type(_AttemptFailed),
            reraise=True,
        )
        messages: list[str] = []  # of every attempt
        try:
            for attempt in retrying:
                with attempt:
                    number = attempt.retry_state.attempt_number
                    return self._attempt(ticker, start, end, messages, number)
        except _AttemptFailed as failure:
            kind = classify_yahoo_failure(messages)
            said = _summary(messages) or failure.detail
            if kind == "unknown_ticker":
                raise TickerNotFoundUpstream(
                    f"Yahoo Finance has no prices for {ticker} between {start} and {end}: the "
                    f"symbol may be unknown or delisted, or the range has no trading days "
                    f"(yfinance: {said}). Check the ticker and the dates."
                ) from failure
            what = "rate limited" if kind == "rate_limited" else "unreachable or failing"
            raise UpstreamUnavailable(
                f"Yahoo Finance is {what} for {ticker} after {self.attempts} attempt(s) "
                f"(yfinance: {said}). {OFFLINE_HINT}"
            ) from failure
        raise AssertionError("unreachable: tenacity either returns or reraises")

    def _attempt(
        self, ticker: str, start: date, end: date, messages: list[str], number: int
    ) -> pd.DataFrame:
        download = self._download or _default_download()
        seen = len(messages)
        # yfinance 1.7 trips pandas 3's deprecation warnings on every call: noise, not news.
        with capture_yfinance_messages(messages), warnings.catch_warnings():
            warnings.simplefilter("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", message=".*inplace keyword.*")
            try:
                raw = download(
                    ticker,
                    start=start.isoformat(),
                    end=(end + timedelta(days=1)).isoformat(),  # yfinance's end is exclusive
                    auto_adjust=True,  # split- and dividend-adjusted OHLC, no 'Adj Close'
                    multi_level_index=False,  # plain columns for one ticker
                    progress=False,
                    interval="1d",
                    threads=False,  # one ticker: no worker thread, errors stay in this thread
                )
            except Exception as error:  # yfinance raises little, but anything is upstream
                messages.append(repr(error))
                detail = f"{type(error).__name__}: {error}"
                log.warning(
                    "yahoo attempt %d/%d for %s raised %s", number, self.attempts, ticker, detail
                )
                raise _AttemptFailed(detail) from error
        if raw is None or raw.empty:
            detail = _summary(messages[seen:], limit=300) or "empty frame, no error reported"
            log.warning(
                "yahoo attempt %d/%d for %s returned no rows: %s",
                number,
                self.attempts,
                ticker,
                detail,
            )
            raise _AttemptFailed(detail)
        return yahoo_frame_to_prices(raw)
