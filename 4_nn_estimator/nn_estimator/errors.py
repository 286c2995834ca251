"""Errors the model package raises for problems a caller can fix (bad ticker, too little
data, unreachable tracking server). The CLI turns each into a one-line message and exit code 2."""


class ForecasterError(Exception):
    """Base class: a problem with the inputs or the environment, not a bug."""


class UnknownTickerError(ForecasterError):
    def __init__(self, ticker: str) -> None:
        super().__init__(
            f"no prices for ticker {ticker!r} in the database; load its history first "
            f"(POST /load on 2_load_data)"
        )
        self.ticker = ticker


class TooFewRowsError(ForecasterError):
    def __init__(self, ticker: str, rows: int, needed: int, detail: str) -> None:
        super().__init__(
            f"ticker {ticker!r} has {rows} daily closes but {needed} are needed ({detail})"
        )
        self.ticker, self.rows, self.needed = ticker, rows, needed


class TrackingUnavailableError(ForecasterError):
    def __init__(self, tracking_uri: str, reason: str) -> None:
        super().__init__(f"MLflow tracking server {tracking_uri} is unreachable: {reason}")
        self.tracking_uri = tracking_uri


class NoChampionError(ForecasterError):
    def __init__(self, ticker: str) -> None:
        super().__init__(
            f"no champion model for {ticker!r} to fine-tune; run a full train first "
            f"(python -m nn_estimator train --ticker {ticker})"
        )
        self.ticker = ticker
