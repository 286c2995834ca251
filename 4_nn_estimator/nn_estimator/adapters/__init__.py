"""I/O of the model package: prices from the database, MLflow tracking and registry, the
`models` table, the TorchScript artifact, plots."""
