"""Loopback helpers: free ports, a URL nobody answers on, and waiting for a condition."""

import socket
import time
from collections.abc import Callable
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def closed_url() -> str:
    """An http URL nobody listens on: connection refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def wait_until(
    check: Callable[[], Any], timeout: float = 10.0, what: str = "", interval: float = 0.05
) -> Any:
    """`check()`'s first truthy result; AssertionError naming `what` after `timeout` seconds.
    HTTP errors and missing keys while waiting count as "not yet"."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (httpx.HTTPError, ValueError, KeyError) as error:
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or check} ({last_error})")


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> bool:
    """Whether `predicate()` became true within `timeout` seconds (no error when it did not:
    for "this must NOT happen" checks too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
