"""`make bench`: run every benchmark under bench/ in turn and print their tables.

Benchmarks measure speed and memory beside the alternative a user would pick; tests never assert
timings. Each bench_*.py is also runnable on its own.
"""

import runpy
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> None:
    selected = sys.argv[1:]
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    for script in scripts:
        if selected and script.stem.removeprefix("bench_") not in selected:
            continue
        print(f"\n## {script.stem}\n", flush=True)
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
