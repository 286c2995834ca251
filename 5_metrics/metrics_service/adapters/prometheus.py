"""Prometheus HTTP API client (instant queries), with short timeouts."""

import logging

import httpx

log = logging.getLogger(__name__)


class PrometheusUnavailable(Exception):
    """Prometheus did not answer, or answered with an error."""


def instant_query(base_url: str, promql: str, timeout_seconds: float) -> list[float]:
    """Values of an instant vector query (one per series; [] when no series matched).

    A scalar result is returned as a one-element list. NaN values (e.g. 0/0 when no requests
    fell in the range) are kept as NaN for the caller to interpret."""
    url = f"{base_url.rstrip('/')}/api/v1/query"
    try:
        response = httpx.get(url, params={"query": promql}, timeout=timeout_seconds)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise PrometheusUnavailable(f"{type(error).__name__}: {error}") from error
    if body.get("status") != "success":
        raise PrometheusUnavailable(f"query failed: {body.get('error', body)}")
    data = body["data"]
    if data["resultType"] == "scalar":
        return [float(data["result"][1])]
    return [float(series["value"][1]) for series in data["result"]]
