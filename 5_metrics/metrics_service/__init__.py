"""5_metrics: model quality against actuals, data drift and inference latency."""
