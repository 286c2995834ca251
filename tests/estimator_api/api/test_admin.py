"""POST /admin/reload and the shutdown when a dependency is down: the database (closed or
black-holed), the MLflow registry (closed port or a server that never answers), or another
reload holding the lock. Every case answers 503 naming what is missing, within seconds."""

import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy.engine import make_url

from support.network import closed_url
from support.proxy import pausable_proxy
from support.trained import Store, app_client, running_server


@pytest.fixture
def silent_url() -> Iterator[str]:
    """An http URL whose server accepts connections (the kernel's backlog) and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.postgres
def test_reload_with_the_database_gone_is_a_503_naming_it(
    store: Store, postgres_url: str, copy_to: Callable[[Store, str], None]
) -> None:
    copy_to(store, postgres_url)
    target = make_url(postgres_url)
    with pausable_proxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        url = target.set(port=proxy.port).render_as_string(hide_password=False)
        with app_client(store.settings(database_url=url)) as client:
            served = client.get("/model").json()["version"]
            proxy.close()  # connections reset, new ones refused
            started = time.monotonic()
            response = client.post("/admin/reload")
            assert time.monotonic() - started < 10
            assert response.status_code == 503, response.text
            assert response.json()["detail"].startswith("the database is unavailable")
            assert response.headers["retry-after"] == "30"
            # Nothing was reloaded: the served model is still there.
            assert client.get("/model").json()["version"] == served


@pytest.mark.postgres
def test_health_and_reload_answer_503_quickly_with_a_black_holed_database(
    store: Store, postgres_url: str, copy_to: Callable[[Store, str], None]
) -> None:
    """Relies on the engine-level deadlines of stock_db.create_db_engine: the kernel still
    ACKs a black-holed server, so only a deadline on the statement can notice it."""
    copy_to(store, postgres_url)
    target = make_url(postgres_url)
    with pausable_proxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        url = target.set(port=proxy.port).render_as_string(hide_password=False)
        try:
            with (
                running_server(store.settings(database_url=url)) as base,
                httpx.Client(base_url=base, timeout=12) as http,
            ):
                assert http.get("/health").status_code == 200  # the pool holds a connection
                proxy.pause()
                for method, path in (("GET", "/health"), ("POST", "/admin/reload")):
                    started = time.monotonic()
                    try:
                        status = http.request(method, path).status_code
                    except httpx.TimeoutException:
                        status = None
                    assert status == 503, f"{method} {path}: {status}"
                    assert time.monotonic() - started < 10
                proxy.resume()
        finally:
            proxy.resume()  # let anything stuck finish, so the server can stop


def test_reload_with_mlflow_refusing_connections_is_a_503_naming_it(store: Store) -> None:
    settings = store.settings(mlflow_timeout_seconds=1, mlflow_retries=1)
    with app_client(settings) as client:
        served = client.get("/model").json()["version"]
        client.app.state.service.models._loader.tracking_uri = closed_url()  # type: ignore[attr-defined]
        started = time.monotonic()
        response = client.post("/admin/reload")
        assert time.monotonic() - started < 10
        assert response.status_code == 503, response.text
        assert "MLflow registry could not be reached" in response.json()["detail"]
        assert client.get("/model").json()["version"] == served  # still serving


def test_start_and_reload_with_mlflow_silent_are_bounded(store: Store, silent_url: str) -> None:
    settings = store.settings(
        mlflow_tracking_uri=silent_url, mlflow_timeout_seconds=1, mlflow_retries=1
    )
    started = time.monotonic()
    with app_client(settings) as client:
        assert time.monotonic() - started < 15  # start-up gave up on the registry
        assert client.get("/ready").status_code == 503
        started = time.monotonic()
        response = client.post("/admin/reload")
        assert time.monotonic() - started < 10
        assert response.status_code == 503, response.text
        assert "MLflow" in response.json()["detail"]


def test_reload_waits_a_bounded_time_for_a_running_reload(store: Store) -> None:
    with app_client(store.settings(admin_reload_wait_seconds=0.5)) as client:
        holder = client.app.state.service.models  # type: ignore[attr-defined]
        client.portal.call(holder._lock.acquire)  # type: ignore[union-attr]  # the poll, stuck
        try:
            started = time.monotonic()
            response = client.post("/admin/reload")
            assert time.monotonic() - started < 5
            assert response.status_code == 503
            assert response.json()["detail"].startswith("a reload is already running")
            assert response.headers["retry-after"] == "30"
        finally:
            client.portal.call(holder._lock.release)  # type: ignore[union-attr]
        assert client.post("/admin/reload").status_code == 200


def test_shutdown_does_not_wait_for_a_silent_mlflow(store: Store, silent_url: str) -> None:
    settings = store.settings(reload_poll_seconds=0.05, mlflow_timeout_seconds=3, mlflow_retries=0)
    with app_client(settings) as client:
        # Served from the store, then the registry goes silent under the poll.
        assert client.get("/ready").status_code == 200
        client.app.state.service.models._loader.tracking_uri = silent_url  # type: ignore[attr-defined]
        time.sleep(0.5)  # the poll is now waiting on MLflow
        started = time.monotonic()
    assert time.monotonic() - started < 2
