"""The estimator api: `POST /admin/reload` (load changed champions now) and `GET /model`
(which version it serves)."""

from dataclasses import dataclass

from shepherd.adapters.http import ServiceClient, ServiceError


@dataclass(frozen=True)
class ReloadReport:
    outcome: str | None  # loaded | unchanged | no_champion | failed | ...; None: ticker absent
    version: int | None
    error: str | None


class EstimatorClient:
    def __init__(self, http: ServiceClient) -> None:
        self.http = http

    def reload(self, ticker: str) -> ReloadReport:
        body = self.http.call("POST", "/admin/reload")
        try:
            for result in body["results"]:
                if result["ticker"] == ticker:
                    return ReloadReport(result["outcome"], result["version"], result["error"])
        except (KeyError, TypeError) as error:
            raise ServiceError(self.http.service, f"unexpected reload answer: {error!r}") from None
        return ReloadReport(None, None, f"{ticker} is not among the api's tickers")

    def served_version(self, ticker: str) -> int | None:
        """The version the api serves for `ticker`; None while it has no model (503)."""
        body = self.http.call("GET", "/model", params={"ticker": ticker}, none_on=(503,))
        if body is None:
            return None
        try:
            return int(body["version"])
        except (KeyError, TypeError, ValueError) as error:
            raise ServiceError(self.http.service, f"unexpected /model answer: {error!r}") from None
