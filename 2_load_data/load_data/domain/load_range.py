"""What a load request may ask for: a date range within limits, and a source it may name.

Ticker and ISO-date rules are the suite's (stock_db.rules); these are the loader's own. Every
failure is a stock_db.rules.InvalidField naming the request field, so the api answers a 422
that says what to fix.
"""

from datetime import date, timedelta

from stock_db.rules import InvalidField, check_date_order

# One request may span at most 50 years: the whole history of any listed stock fits
# (MSFT's starts 1986), while a typo such as 1024-01-01 is refused instead of fetched.
MAX_RANGE_DAYS = 50 * 366
MAX_RANGE_DESCRIPTION = "50 years (18,300 days)"
# Sources a request may name; a csv:PATH only when it is the configured PRICE_SOURCE, so that
# callers cannot make the service read arbitrary files.
REQUESTABLE_SOURCES = ("yahoo", "sample")


def check_load_range(start: date, end: date, today: date) -> None:
    """Rules for a range to fetch: ordered, not wholly in the future, not wider than the limit."""
    check_date_order(start, end)
    if start > today:
        raise InvalidField(
            "start_date",
            f"start_date {start} is in the future (today is {today}): there are no prices yet",
        )
    if (end - start) > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidField(
            "end_date",
            f"the range {start}..{end} is wider than the limit of {MAX_RANGE_DESCRIPTION}; "
            "split it into several loads",
        )


def choose_source(requested: str | None, configured: str) -> str:
    """The source setting a load uses: the request's when it may name it, else PRICE_SOURCE."""
    if requested is None:
        return configured
    if requested in REQUESTABLE_SOURCES or requested == configured:
        return requested
    raise InvalidField(
        "source",
        f"source {requested!r} is not available: use 'yahoo' or 'sample', "
        "or omit it to use the configured PRICE_SOURCE",
    )
