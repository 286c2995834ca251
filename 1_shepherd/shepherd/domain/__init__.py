"""Pure rules of the shepherd: how stale a ticker is, whether to train, what a cycle's outcome
is. No I/O and no clock: `now` and every fact are parameters."""
