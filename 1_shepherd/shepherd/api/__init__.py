"""HTTP layer: routes translate requests to the use cases and their results back to JSON."""
