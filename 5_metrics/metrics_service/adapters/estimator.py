"""Reads the estimator api's Prometheus exposition (GET {ESTIMATOR_URL}/metrics) directly."""

import httpx


class ExpositionUnavailable(Exception):
    """The estimator's /metrics did not answer."""


def fetch_exposition(estimator_url: str, timeout_seconds: float) -> str:
    url = f"{estimator_url.rstrip('/')}/metrics"
    try:
        response = httpx.get(url, timeout=timeout_seconds)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise ExpositionUnavailable(f"{type(error).__name__}: {error}") from error
    return response.text
