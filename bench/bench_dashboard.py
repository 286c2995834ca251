"""Benchmark of the dashboard (6_octopus) as `make up` serves it: the production build under
`next start`, against the whole suite. Targets: Lighthouse performance >= 90 and accessibility
>= 95 on the overview; the full MSFT history (the bundled sample, 7,983 closes) drawn in under
200 ms, from the data's arrival in the browser to the chart's setData done (the chart's
`data-draw-ms`).

Self-contained: starts the suite with scripts/up.sh in a fresh temp folder (as the browser tests
do; it refuses when a port of the suite is taken), or measures the one already running with
--running (e.g. under `make up`). Lighthouse is the npm package in 6_octopus/node_modules,
driving Debian's /usr/bin/chromium (CHROME_PATH), headless; each configuration runs --runs
times and the median score is kept: Lighthouse's default (a mid-range phone on a slow 4G
network, simulated throttling, 4x CPU slowdown) and its desktop preset. The draw time is read
through Playwright over --loads reloads after a warm-up load (median and worst).
Run: `python bench/bench_dashboard.py` (about 3 minutes). Exits 1 when a target is missed.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from local_suite import LocalSuite, SuiteError  # noqa: E402

OCTOPUS = ROOT / "6_octopus"
REPORTS = OCTOPUS / "test-results/lighthouse"  # git-ignored: the last run's reports, to read
LIGHTHOUSE = OCTOPUS / "node_modules/.bin/lighthouse"
URL = "http://127.0.0.1:3000/?ticker=MSFT"
# The browser tests' chromium and flags (6_octopus/e2e/chromium.json), headless for Lighthouse.
CHROMIUM = json.loads((OCTOPUS / "e2e/chromium.json").read_text())
CHROME_FLAGS = ["--headless=new", *CHROMIUM["args"]]
PRESETS = {"mobile (Lighthouse default)": [], "desktop": ["--preset=desktop"]}
TARGETS = {"performance": 90, "accessibility": 95}
DRAW_TARGET_MS = 200


def lighthouse(extra: list[str], report: Path) -> dict[str, float]:
    """One Lighthouse run: category scores 0-100 and the lab metrics that make performance."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            URL,
            *extra,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM["executablePath"]},
        check=True,
        timeout=180,
    )
    data = json.loads(report.read_text())
    scores = {name: 100 * data["categories"][name]["score"] for name in TARGETS}
    audits = data["audits"]
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"):
        scores[audit] = audits[audit]["numericValue"]
    scores["cumulative-layout-shift"] = audits["cumulative-layout-shift"]["numericValue"]
    return scores


def draw_times(loads: int) -> list[dict[str, float]]:
    result = subprocess.run(
        ["node", str(ROOT / "bench/dashboard_draw.mjs"), URL, str(loads)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    samples: list[dict[str, float]] = json.loads(line)["samples"]
    return samples


def measure(runs: int, loads: int) -> bool:
    met = True
    REPORTS.mkdir(parents=True, exist_ok=True)
    print("| Lighthouse, overview | performance | accessibility | FCP s | LCP s | TBT ms | CLS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, extra in PRESETS.items():
        name = label.split()[0]
        results = [lighthouse(extra, REPORTS / f"{name}-{i + 1}.json") for i in range(runs)]
        median = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(
            f"| {label} (median of {runs}) | {median['performance']:.0f} | "
            f"{median['accessibility']:.0f} | {median['first-contentful-paint'] / 1000:.2f} | "
            f"{median['largest-contentful-paint'] / 1000:.2f} | "
            f"{median['total-blocking-time']:.0f} | {median['cumulative-layout-shift']:.3f} |",
            flush=True,
        )
        for category, target in TARGETS.items():
            if median[category] < target:
                met = False
                print(f"  {label}: {category} {median[category]:.0f} < target {target}")
    samples = draw_times(loads)
    draws = [s["drawMs"] for s in samples]
    pages = [s["pageMs"] for s in samples]
    points = int(samples[0]["points"])
    median_ms, worst_ms = statistics.median(draws), max(draws)
    print(
        f"\nChart draw of {points:,} closes (data-draw-ms over {len(draws)} loads after a "
        f"warm-up): median {median_ms:.0f} ms, worst {worst_ms:.0f} ms "
        f"(target < {DRAW_TARGET_MS} ms); all: {', '.join(f'{d:.0f}' for d in draws)}"
    )
    print(
        f"Navigation to the chart drawn (desktop, no throttling): median "
        f"{statistics.median(pages):.0f} ms, worst {max(pages):.0f} ms"
    )
    if median_ms >= DRAW_TARGET_MS:
        met = False
    print(f"Lighthouse reports: {REPORTS.relative_to(ROOT)}/")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per configuration")
    parser.add_argument("--loads", type=int, default=7, help="page loads timed for the draw")
    parser.add_argument("--running", action="store_true", help="measure the running suite")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("6_octopus/node_modules has no lighthouse: run `make setup`", file=sys.stderr)
        return 2
    if args.running:
        return 0 if measure(args.runs, args.loads) else 1
    try:
        with LocalSuite(admin_token=secrets.token_urlsafe(24), force_build=False):
            met = measure(args.runs, args.loads)
    except SuiteError as error:
        print(f"bench_dashboard: {error}", file=sys.stderr)
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
