"""Wait until every service of `make up` answers, then print where each one is.

Runs as a honcho process and then waits quietly: honcho stops the whole suite when any of its
processes exits, so this one must stay alive until Ctrl-C.
"""

import os
import signal
import time
import urllib.error
import urllib.request

SERVICES = [
    ("1_shepherd", "http://127.0.0.1:8004", "/health", "/docs"),
    ("2_load_data", "http://127.0.0.1:8001", "/health", "/docs"),
    ("4_nn_estimator api", "http://127.0.0.1:8002", "/health", "/docs"),
    ("5_metrics", "http://127.0.0.1:8003", "/health", "/docs"),
    ("4_nn_estimator mlflow", "http://127.0.0.1:5000", "/health", "/"),
]
PROMETHEUS = ("4_nn_estimator prometheus", "http://127.0.0.1:9090", "/-/ready", "/graph")
DASHBOARD = ("6_octopus dashboard", "http://127.0.0.1:3000", "/api/health", "/")
TIMEOUT_SECONDS = 120


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status < 500)
    except (urllib.error.URLError, OSError):
        return False


def main() -> None:
    services = SERVICES + ([PROMETHEUS] if os.environ.get("PROMETHEUS_URL") else [])
    if not os.environ.get("OCTOPUS_SKIPPED"):  # up.sh could not build it
        services = [DASHBOARD, *services]
    deadline = time.monotonic() + TIMEOUT_SECONDS
    waiting = list(services)
    while waiting and time.monotonic() < deadline:
        waiting = [service for service in waiting if not answers(service[1] + service[2])]
        time.sleep(0.5)
    print("\nThe suite is up:", flush=True)
    for name, base, _health, page in services:
        state = "NOT ANSWERING" if (name, base, _health, page) in waiting else "ready"
        print(f"  {name:<26} {base + page:<32} {state}", flush=True)
    print("Stop everything with Ctrl-C.\n", flush=True)
    signal.pause()


if __name__ == "__main__":
    main()
