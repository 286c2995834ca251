"""I/O of the loader: the prices table (all SQL) and the price sources."""
