"""Pure rules of the loader: what a load may ask for, and price-row cleaning and diffing."""
