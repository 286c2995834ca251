"""What the loader does: load a range, bootstrap the configured tickers, read what is stored."""
