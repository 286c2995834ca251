"""The inference service: serves the champion LSTM of each ticker over HTTP (port 8002).

Started with `uvicorn --factory estimator_api.main:create_app` (or `python -m estimator_api
serve`); importing the package does nothing else."""
