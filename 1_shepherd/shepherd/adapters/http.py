"""One way to call the suite's other services: JSON over httpx with a timeout, the bearer
ADMIN_TOKEN, and bounded retries with exponential backoff (tenacity) for connection errors and
5xx answers. Every call the shepherd makes is idempotent, so a retry never does work twice."""

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    before_sleep_log,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

log = logging.getLogger(__name__)
DETAIL_CHARS = 300  # of an error body quoted in a reason


class ServiceError(Exception):
    """A service failed to answer usefully; `service` names it, the message says how."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message


class _Retryable(ServiceError):
    """Connection failures and 5xx: worth another attempt."""


@dataclass(frozen=True)
class HttpPolicy:
    timeout_seconds: float = 30.0
    attempts: int = 3
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 20.0


class ServiceClient:
    def __init__(
        self,
        service: str,
        base_url: str,
        policy: HttpPolicy,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.transport = transport  # tests hand in httpx.MockTransport

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        timeout_seconds: float | None = None,
        none_on: tuple[int, ...] = (),
    ) -> Any:
        """The answer's JSON (None for a status in `none_on`, e.g. a 503 meaning "no model
        yet"); ServiceError after the last attempt, or at once on a 4xx."""

        @retry(
            stop=stop_after_attempt(self.policy.attempts),
            wait=wait_exponential(
                multiplier=self.policy.backoff_seconds, max=self.policy.backoff_max_seconds
            ),
            retry=retry_if_exception_type(_Retryable),
            before_sleep=before_sleep_log(log, logging.WARNING),
            reraise=True,
        )
        def attempt() -> Any:
            return self._once(method, path, json, params, timeout_seconds, none_on)

        try:
            return attempt()
        except _Retryable as error:
            raise ServiceError(
                self.service, f"{error.message} (after {self.policy.attempts} attempt(s))"
            ) from None

    def _once(
        self,
        method: str,
        path: str,
        json: Any,
        params: dict[str, Any] | None,
        timeout_seconds: float | None,
        none_on: tuple[int, ...],
    ) -> Any:
        timeout = timeout_seconds or self.policy.timeout_seconds
        url = f"{self.base_url}{path}"
        try:
            with httpx.Client(timeout=timeout, transport=self.transport) as client:
                response = client.request(
                    method, url, json=json, params=params, headers=self.headers
                )
        except httpx.TransportError as error:
            raise _Retryable(
                self.service, f"{method} {url} failed: {error.__class__.__name__} {error}"
            ) from None
        if response.status_code in none_on:
            return None
        if response.status_code >= 500:
            raise _Retryable(self.service, _describe(method, url, response))
        if response.status_code >= 400:
            raise ServiceError(self.service, _describe(method, url, response))
        try:
            return response.json()
        except ValueError:
            raise ServiceError(self.service, f"{method} {url} answered non-JSON") from None


def _describe(method: str, url: str, response: httpx.Response) -> str:
    try:
        body = response.json()
        detail = body.get("detail", body) if isinstance(body, dict) else body
    except ValueError:
        detail = response.text
    return f"{method} {url} answered {response.status_code}: {str(detail)[:DETAIL_CHARS]}"
