"""HTTP translation only: bodies, dependencies, the error table, routes and the /predict lane."""
