"""I/O: the database (prices, predictions, models rows), the MLflow registry, the exchange
calendar."""
