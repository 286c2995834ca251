"""5_metrics' `GET /metrics?ticker=`: the data-drift verdict on the ticker's recent returns.

Never raises: an unreachable or silent metrics service means drift is *unknown*, which the
decision treats as not detected and says so."""

import logging
import math

from shepherd.adapters.http import ServiceClient, ServiceError
from shepherd.domain.decision import Drift

log = logging.getLogger(__name__)


class MetricsClient:
    def __init__(self, http: ServiceClient) -> None:
        self.http = http

    def drift(self, ticker: str) -> Drift:
        try:
            body = self.http.call("GET", "/metrics", params={"ticker": ticker})
        except ServiceError as error:
            log.warning("drift unknown for %s: %s", ticker, error)
            return Drift(None, f"metrics unavailable: {error.message}")
        report = body.get("data_drift") if isinstance(body, dict) else None
        if not isinstance(report, dict):
            return Drift(None, "metrics answered without data_drift")
        detected = report.get("drift_detected")
        if not isinstance(detected, bool):
            return Drift(None, str(report.get("reason") or "drift not computed"))
        return Drift(detected, _evidence(report))


def _evidence(report: dict[str, object]) -> str:
    parts = [str(report.get("method") or "drift test")]
    for name in ("statistic", "p_value", "threshold"):
        value = report.get(name)
        if isinstance(value, int | float) and math.isfinite(value):
            parts.append(f"{name} {value:.3g}")
    return ", ".join(parts)
