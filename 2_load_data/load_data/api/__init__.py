"""HTTP layer: routes translate requests to the loader and its results back to JSON."""
