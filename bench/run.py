"""`make bench`: run every benchmark under bench/ in turn and print their tables.

Benchmarks measure speed and memory beside the alternative a user would pick; tests never assert
timings. Each bench_*.py is also runnable on its own; here each runs in its own process, so one
benchmark's memory and threads cannot colour the next one's figures.
Usage: python bench/run.py [api ingest metrics train dashboard ...]
"""

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    selected = sys.argv[1:]
    failed = []
    for script in sorted(BENCH_DIR.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        print(f"\n## {script.stem}\n", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
