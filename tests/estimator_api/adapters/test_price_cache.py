"""Closes are served from memory and refreshed when the database has newer rows."""

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine, delete

from estimator_api.adapters.price_cache import PriceCache, last_date
from stock_db import prices
from support.sample import TICKER
from support.sample import insert_prices as insert_sample
from support.trained import Store, app_client


def test_refresh_loads_only_when_rows_changed(engine: Engine, sample_frame: pd.DataFrame) -> None:
    cache = PriceCache(engine, [TICKER, "AAPL"])
    assert cache.refresh() == [TICKER, "AAPL"]  # first look: both (AAPL has no rows)
    assert cache.get(TICKER) is None and cache.get("AAPL") is None

    insert_sample(engine, sample_frame.iloc[-300:-10])
    assert cache.refresh() == [TICKER]
    series = cache.get(TICKER)
    assert series is not None and len(series) == 290
    assert cache.refresh() == []  # nothing new: only the cheap probe ran

    insert_sample(engine, sample_frame.iloc[-10:])
    assert cache.refresh() == [TICKER]
    series = cache.get(TICKER)
    assert series is not None and last_date(series) == dt.date(2017, 11, 10)


def test_refresh_ticker_checks_one_ticker(engine: Engine, sample_frame: pd.DataFrame) -> None:
    cache = PriceCache(engine, [TICKER, "AAPL"])
    assert cache.newest(TICKER) is None
    insert_sample(engine, sample_frame.iloc[-300:-1])
    assert cache.refresh_ticker(TICKER) is True
    assert cache.newest(TICKER) == dt.date(2017, 11, 9)
    assert cache.get("AAPL") is None and cache.newest("AAPL") is None  # not looked at
    assert cache.refresh_ticker(TICKER) is False  # nothing new: only the probe ran
    insert_sample(engine, sample_frame.iloc[-1:])
    assert cache.refresh_ticker(TICKER) is True
    series = cache.get(TICKER)
    assert series is not None and last_date(series) == cache.newest(TICKER) == dt.date(2017, 11, 10)
    assert cache.refresh() == ["AAPL"]  # MSFT already current; AAPL's first look


def test_the_api_picks_up_new_closes(
    store: Store,
    database_url: str,
    engine: Engine,
    sample_frame: pd.DataFrame,
    copy_to: Callable[[Store, str], None],
) -> None:
    copy_to(store, database_url)  # the models rows: what may be served
    with engine.begin() as connection:
        connection.execute(delete(prices))
    insert_sample(engine, sample_frame.iloc[-400:-5])
    settings = store.settings(database_url=database_url)
    with app_client(settings) as client:
        before = client.post("/predict", json={"ticker": TICKER}).json()
        assert before["as_of"] == "2017-11-03"
        insert_sample(engine, sample_frame.iloc[-5:])
        # The admin reload refreshes prices at once (the periodic refresh does the same).
        client.post("/admin/reload")
        after = client.post("/predict", json={"ticker": TICKER}).json()
        assert after["as_of"] == "2017-11-10"
        assert after["predictions"][0]["date"] == "2017-11-13"
