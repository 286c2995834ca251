"""A ticker's daily closes in date order: what the model trains on and the api serves from."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CloseSeries:
    """Closes of one ticker in date order (oldest first)."""

    ticker: str
    dates: np.ndarray  # datetime64[D]
    closes: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.closes)

    def date_at(self, index: int) -> str:
        return str(self.dates[index])
