"""Pure rules of the loader: request validation and price-row cleaning and diffing."""
