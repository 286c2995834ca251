"""I/O of the shepherd: the database (all SQL), the lock, the exchange calendar, the other
services' HTTP APIs and the training child process."""
