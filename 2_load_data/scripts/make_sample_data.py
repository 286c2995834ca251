"""Rebuild load_data/data/msft_daily.csv.gz, the bundled offline price source.

The rows are Microsoft's daily OHLCV history that the pmdarima package ships
(`pmdarima.datasets.load_msft()`, 1986-03-13 to 2017-11-10). pmdarima is needed only to run
this script, not by the suite:

    python -m venv /tmp/pmd && /tmp/pmd/bin/pip install pmdarima
    /tmp/pmd/bin/python 2_load_data/scripts/make_sample_data.py
"""

from pathlib import Path

from pmdarima.datasets import load_msft

OUTPUT = Path(__file__).resolve().parents[1] / "load_data" / "data" / "msft_daily.csv.gz"


def main() -> None:
    frame = load_msft().drop(columns=["OpenInt"])
    frame.columns = [column.lower() for column in frame.columns]
    frame = frame.drop_duplicates("date").sort_values("date")
    valid = (frame["high"] >= frame["low"]) & (frame["low"] > 0) & (frame["volume"] >= 0)
    if not valid.all():
        raise SystemExit(f"{(~valid).sum()} rows break the prices table's checks")
    # mtime=0 keeps the gzip bytes identical from run to run, so git sees no change.
    frame.to_csv(
        OUTPUT, index=False, compression={"method": "gzip", "mtime": 0}, float_format="%.6g"
    )
    print(f"wrote {len(frame)} rows, {frame['date'].iloc[0]}..{frame['date'].iloc[-1]} -> {OUTPUT}")


if __name__ == "__main__":
    main()
