"""The LSTM forecaster: training, walk-forward evaluation against the naive forecast, the
promotion gate and the MLflow registry (served by estimator_api)."""
