"""I/O: the shared database, Prometheus' HTTP API and the estimator's exposition."""
