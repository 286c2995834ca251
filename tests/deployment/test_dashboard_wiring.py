"""How `make up` wires the dashboard (6_octopus): the service URLs its server side reads are the
ones up.sh exports, it is served on loopback and announced, and its browser tests drive Debian's
Chromium, never a downloaded browser. The dashboard itself is tested by `make test-dashboard`
and `make test-e2e`."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OCTOPUS = ROOT / "6_octopus"


def test_up_exports_every_service_url_the_dashboard_reads() -> None:
    services = (OCTOPUS / "lib/services.ts").read_text()
    read = set(re.findall(r'name: "([A-Z_]+_URL)"', services))
    assert read >= {"LOAD_DATA_URL", "ESTIMATOR_URL", "METRICS_URL", "SHEPHERD_URL"}
    up = (ROOT / "scripts/up.sh").read_text()
    export = r'^export ([A-Z_]+_URL)="\$\{\1:-http://127\.0\.0\.1:\d+\}"'
    exported = set(re.findall(export, up, re.M))
    assert read <= exported


def test_the_dashboard_is_served_on_loopback_and_announced() -> None:
    procfile = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert "next start --hostname 127.0.0.1 --port 3000" in procfile["octopus"]
    assert '"http://127.0.0.1:3000"' in (ROOT / "scripts/announce.py").read_text()


def test_browser_tests_use_debians_chromium_only() -> None:
    config = (OCTOPUS / "playwright.config.ts").read_text()
    assert 'import chromium from "./e2e/chromium.json"' in config
    assert "launchOptions: chromium" in config
    launch = json.loads((OCTOPUS / "e2e/chromium.json").read_text())
    assert launch["executablePath"] == "/usr/bin/chromium"
    for flag in ("--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        assert flag in launch["args"]
    assert "channel" not in config  # a channel would ask for a downloaded or branded browser
    for bench in ("bench/bench_dashboard.py", "bench/dashboard_draw.mjs"):  # the same file
        assert "e2e/chromium.json" in (ROOT / bench).read_text()
