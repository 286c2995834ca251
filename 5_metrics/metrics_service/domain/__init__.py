"""Pure computations: error metrics, drift statistics and decisions, histogram quantiles."""
