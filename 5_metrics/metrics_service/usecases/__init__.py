"""What the service does, one module each: the /metrics report, the per-day history and the
inference latency. Plain functions over adapters and domain, returning frozen dataclasses
that the routes map to response schemas."""
