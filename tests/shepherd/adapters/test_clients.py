"""The HTTP clients of the other services, against httpx.MockTransport: bounded retries with
backoff for connection errors and 5xx, none for 4xx, and the answers they parse."""

from collections.abc import Callable
from datetime import date

import httpx
import pytest

from shepherd.adapters.estimator_client import EstimatorClient
from shepherd.adapters.http import HttpPolicy, ServiceClient, ServiceError
from shepherd.adapters.load_data_client import LoadDataClient
from shepherd.adapters.metrics_client import MetricsClient
from support.network import closed_url

FAST = HttpPolicy(timeout_seconds=2, attempts=3, backoff_seconds=0, backoff_max_seconds=0)
Handler = Callable[[httpx.Request], httpx.Response]


def client(name: str, handler: Handler, token: str | None = "s3cret") -> ServiceClient:
    return ServiceClient(name, "http://svc", FAST, token, transport=httpx.MockTransport(handler))


class Script:
    """Answers in order (the last one repeats) and records the requests."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


LOADED = {
    "ticker": "MSFT",
    "source": "yahoo",
    "start_date": "2024-11-26",
    "end_date": "2024-11-29",
    "fetched": 3,
    "inserted": 3,
    "updated": 0,
    "rejected": 0,
    "first_date": "2024-11-26",
    "last_date": "2024-11-29",
}


def test_load_sends_the_range_and_the_token_and_retries_a_502() -> None:
    script = Script(
        httpx.Response(502, json={"detail": "Yahoo down"}), httpx.Response(200, json=LOADED)
    )
    report = LoadDataClient(client("2_load_data", script), 60).load(
        "MSFT", date(2024, 11, 26), date(2024, 11, 29)
    )
    assert (report.inserted, report.rows, report.last_date) == (3, 3, date(2024, 11, 29))
    assert len(script.requests) == 2
    sent = script.requests[-1]
    assert sent.headers["authorization"] == "Bearer s3cret"
    assert sent.read() == b'{"ticker":"MSFT","start_date":"2024-11-26","end_date":"2024-11-29"}'


def test_attempts_are_bounded() -> None:
    script = Script(httpx.ConnectError("refused"))
    with pytest.raises(
        ServiceError, match=r"2_load_data: POST http://svc/load failed: ConnectError"
    ):
        LoadDataClient(client("2_load_data", script), 60).load(
            "MSFT", date(2024, 11, 26), date(2024, 11, 29)
        )
    assert len(script.requests) == FAST.attempts


def test_a_4xx_is_not_retried_and_its_detail_is_quoted() -> None:
    script = Script(httpx.Response(422, json={"detail": "start_date is in the future"}))
    with pytest.raises(ServiceError, match="answered 422: start_date is in the future"):
        LoadDataClient(client("2_load_data", script), 60).load(
            "MSFT", date(2024, 11, 26), date(2024, 11, 29)
        )
    assert len(script.requests) == 1


def test_a_real_closed_port_is_a_service_error() -> None:
    http = ServiceClient("2_load_data", closed_url(), FAST)
    with pytest.raises(ServiceError, match="ConnectError"):
        http.call("GET", "/health")


def test_no_token_no_header() -> None:
    script = Script(httpx.Response(200, json={}))
    client("x", script, token=None).call("GET", "/")
    assert "authorization" not in script.requests[0].headers


def test_reload_picks_the_ticker_and_model_reads_the_version() -> None:
    script = Script(
        httpx.Response(
            200,
            json={
                "results": [
                    {"ticker": "AAPL", "outcome": "unchanged", "version": 2, "error": None},
                    {"ticker": "MSFT", "outcome": "loaded", "version": 5, "error": None},
                ]
            },
        ),
        httpx.Response(200, json={"ticker": "MSFT", "name": "lstm-MSFT", "version": 5}),
    )
    api = EstimatorClient(client("estimator api", script))
    reload = api.reload("MSFT")
    assert (reload.outcome, reload.version) == ("loaded", 5)
    assert api.served_version("MSFT") == 5
    assert script.requests[1].url.params["ticker"] == "MSFT"


def test_an_api_without_a_model_serves_nothing() -> None:
    script = Script(httpx.Response(503, json={"detail": "no model for ticker MSFT yet"}))
    assert EstimatorClient(client("estimator api", script)).served_version("MSFT") is None
    assert len(script.requests) == 1


def test_reload_without_the_ticker() -> None:
    script = Script(httpx.Response(200, json={"results": []}))
    reload = EstimatorClient(client("estimator api", script)).reload("MSFT")
    assert reload.outcome is None and "not among" in (reload.error or "")


DRIFT = {"method": "ks", "statistic": 0.21, "p_value": 0.0004, "threshold": 0.01}


@pytest.mark.parametrize(
    ("answer", "detected", "words"),
    [
        (
            httpx.Response(200, json={"data_drift": {**DRIFT, "drift_detected": True}}),
            True,
            "p_value 0.0004",
        ),
        (httpx.Response(200, json={"data_drift": {**DRIFT, "drift_detected": False}}), False, "ks"),
        (
            httpx.Response(
                200, json={"data_drift": {"drift_detected": None, "reason": "too few days"}}
            ),
            None,
            "too few days",
        ),
        (httpx.Response(200, json={"ticker": "MSFT"}), None, "without data_drift"),
        (httpx.Response(404, json={"detail": "unknown ticker"}), None, "metrics unavailable"),
        (httpx.ConnectError("refused"), None, "metrics unavailable"),
    ],
)
def test_drift_is_never_an_error(
    answer: httpx.Response | Exception, detected: bool | None, words: str
) -> None:
    drift = MetricsClient(client("5_metrics", Script(answer))).drift("MSFT")
    assert drift.detected is detected
    assert words in drift.note
