"""HTTP layer: routes translate query parameters into report calls and errors into statuses."""
