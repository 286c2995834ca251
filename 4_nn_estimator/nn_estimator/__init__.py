"""4_nn_estimator: the LSTM forecaster (training, evaluation, registry) and its serving api."""
