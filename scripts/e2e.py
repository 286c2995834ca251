"""`make test-e2e`: the dashboard's browser tests (Playwright, Debian's /usr/bin/chromium) against
the whole suite as `make up` starts it, with its state in a fresh temp folder and a random
ADMIN_TOKEN (the tests check that it never reaches the client bundle).

Fails at once, saying which, when a port of the suite is taken. Screenshots of every screen go to
6_octopus/test-results/screenshots/ (git-ignored), the suite's log to test-results/suite.log;
with UPDATE_SCREENSHOTS=1 a passing run also copies the screenshots to docs/screenshots/.
Extra arguments go to `playwright test` (e.g. `python scripts/e2e.py e2e/forecast.spec.ts`).
"""

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from local_suite import ROOT, LocalSuite, SuiteError

OCTOPUS = ROOT / "6_octopus"
RESULTS = OCTOPUS / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs/screenshots"
CHROMIUM = Path("/usr/bin/chromium")


def main(argv: list[str]) -> int:
    if not CHROMIUM.exists():
        print("e2e: /usr/bin/chromium is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    started = time.monotonic()
    token = secrets.token_urlsafe(24)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    try:
        with LocalSuite(admin_token=token, log_to=RESULTS / "suite.log"):
            env = {**os.environ, "E2E_ADMIN_TOKEN": token, "NEXT_TELEMETRY_DISABLED": "1"}
            code = subprocess.run(
                ["node_modules/.bin/playwright", "test", *argv], cwd=OCTOPUS, env=env, check=False
            ).returncode
    except SuiteError as error:
        print(f"e2e: {error}", file=sys.stderr)
        return 2
    print(f"e2e: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
    if code != 0:
        print("e2e: traces and screenshots in 6_octopus/test-results/playwright/, the suite's log")
        print("     in 6_octopus/test-results/suite.log")
    if code == 0 and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for shot in sorted(SCREENSHOTS.glob("*.png")):
            shutil.copyfile(shot, DOCS_SCREENSHOTS / shot.name)
        print(f"e2e: screenshots copied to {DOCS_SCREENSHOTS.relative_to(ROOT)}/")
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
