"""Pure model logic: the LSTM, windows and splits, fitting, walk-forward evaluation, the gate.
No database, no MLflow, no files."""
