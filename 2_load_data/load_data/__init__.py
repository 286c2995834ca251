"""2_load_data: daily prices from Yahoo Finance, the bundled sample or a CSV, into the database."""
