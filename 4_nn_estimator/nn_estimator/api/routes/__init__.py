"""HTTP routes: each translates between HTTP and the forecasting service."""
