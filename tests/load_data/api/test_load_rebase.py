"""Yahoo re-bases its adjusted history at every dividend or split: a load that finds stored
days contradicted re-loads the ticker's whole history, so no fake return appears where two
adjustment bases meet."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support.yahoo import ClientFactory, YahooHistory, load_body, sample_rows

NOW = datetime(2017, 11, 13, 22, 0, tzinfo=UTC)  # Monday evening: 2017-11-13 has closed


def _closes(client: TestClient) -> dict[str, float]:
    prices = client.get("/prices", params={"ticker": "MSFT"}).json()["prices"]
    return {row["date"]: row["close"] for row in prices}


def test_a_dividend_rebase_reloads_the_whole_history(
    make_client: ClientFactory, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    yahoo = YahooHistory()
    client = make_client(price_source="yahoo", yahoo=yahoo, clock=lambda: NOW)
    first = client.post("/load", json=load_body(start="2017-10-02", end="2017-11-03")).json()
    assert (first["inserted"], first["rebased"], first["rebased_rows"]) == (25, False, 0)

    yahoo.scale = 0.98  # a dividend: Yahoo's whole adjusted history moves
    second = client.post("/load", json=load_body(start="2017-11-01", end="2017-11-10")).json()
    assert second["rebased"] is True
    assert second["rebased_rows"] == 25  # every stored day was rewritten
    assert yahoo.calls[-1] == ("1986-01-01", "2017-11-14")  # the whole history, to today
    assert "re-base" in caplog.text and "0.98" in caplog.text

    expected = sample_rows("1986-01-01", "2017-11-10")
    closes = _closes(client)
    assert len(closes) == len(expected)  # the history before the first load came along too
    for day, close in zip(expected["date"].dt.strftime("%Y-%m-%d"), expected["close"], strict=True):
        assert closes[day] == pytest.approx(close * 0.98, rel=1e-12), day

    again = client.post("/load", json=load_body(start="2017-11-01", end="2017-11-10")).json()
    assert (again["inserted"], again["updated"], again["rebased"]) == (0, 0, False)


def test_other_source_labels_are_relabelled_not_rebased(make_client: ClientFactory) -> None:
    client = make_client(clock=lambda: NOW)
    client.post("/load", json=load_body(start="2017-11-01", end="2017-11-10"))  # the sample
    yahoo = YahooHistory(scale=0.98)
    client = make_client(price_source="yahoo", yahoo=yahoo, clock=lambda: NOW)
    body = client.post("/load", json=load_body(start="2017-11-01", end="2017-11-10")).json()
    assert (body["updated"], body["rebased"], len(yahoo.calls)) == (8, False, 1)
