"""One router per resource: the metrics reports and the health check."""
