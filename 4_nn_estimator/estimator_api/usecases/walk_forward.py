"""GET /model/walk-forward: the served model's h = 1 walk-forward series over its validation and
holdout days, as its training run logged it (`evaluation/walk_forward.json`).

Read from MLflow once per served version, on the first request for it, then answered from
memory; a version swapped out is forgotten. A run without the artifact (trained before the
series was logged) is remembered as such; an MLflow that does not answer is not, so the next
request tries again."""

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from estimator_api.usecases.forecast import ForecastService
from estimator_api.usecases.reload import ServedModel, in_daemon_thread, version_error
from nn_estimator.adapters.registry import WALK_FORWARD_ARTIFACT, ChampionRef

Fetch = Callable[[ChampionRef], dict[str, Any] | None]


@dataclass(frozen=True)
class SeriesPoint:
    date: dt.date  # the target day
    slice: str  # validation | holdout
    actual: float
    lstm: float
    naive: float
    drift: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class WalkForwardSeries:
    ticker: str
    version: int
    horizon: int
    interval: float | None
    points: tuple[SeriesPoint, ...]  # date-ascending


class SeriesNotFoundError(LookupError):
    """No series to answer with (a 404): the ticker is not served here, or the served version's
    run holds none."""


@dataclass(frozen=True)
class Missing:
    """Why a served version has no series (remembered; a new error is raised per request)."""

    reason: str


class SeriesUnavailableError(RuntimeError):
    """MLflow did not answer while the series was read (a 503: try again)."""


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def parse_series(document: dict[str, Any], ticker: str, version: int) -> WalkForwardSeries:
    """The artifact's document as the answer; KeyError, TypeError or ValueError if it is not
    one (a hand-edited or truncated file)."""
    points = [
        SeriesPoint(
            date=dt.date.fromisoformat(point["date"]),
            slice=str(point["slice"]),
            actual=float(point["actual"]),
            lstm=float(point["lstm"]),
            naive=float(point["naive"]),
            drift=_optional(point.get("drift")),
            lower=_optional(point.get("lower")),
            upper=_optional(point.get("upper")),
        )
        for point in document["points"]
    ]
    return WalkForwardSeries(
        ticker=ticker,
        version=version,
        horizon=int(document["horizon"]),
        interval=_optional(document.get("interval")),
        points=tuple(sorted(points, key=lambda point: point.date)),
    )


class WalkForwardCache:
    """Per served version (name, version, run): its series, or why there is none."""

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self._known: dict[ChampionRef, WalkForwardSeries | Missing] = {}
        self._lock = asyncio.Lock()

    async def series(self, service: ForecastService, ticker: str) -> WalkForwardSeries:
        """The series of the model served for `ticker`. SeriesNotFoundError for a ticker not
        served here or a run without the artifact; NoModelError before a model is loaded;
        SeriesUnavailableError when MLflow does not answer."""
        if ticker not in service.tickers:
            raise SeriesNotFoundError(
                f"ticker {ticker} is not served here; this service serves "
                f"{', '.join(service.tickers)}"
            )
        model = service.served_model(ticker, location="query")
        known = self._known.get(model.ref)
        if known is None:
            async with self._lock:  # one read per version, however many ask at once
                known = self._known.get(model.ref) or await self._read(model)
                served = {m.ref for m in service.models.served().values()}
                self._known = {
                    **{ref: value for ref, value in self._known.items() if ref in served},
                    model.ref: known,
                }
        if isinstance(known, Missing):
            raise SeriesNotFoundError(known.reason)
        return known

    async def _read(self, model: ServedModel) -> WalkForwardSeries | Missing:
        ref = model.ref
        try:
            document = await in_daemon_thread(self._fetch, ref)
        except Exception as error:
            raise SeriesUnavailableError(
                f"could not read {WALK_FORWARD_ARTIFACT} of {ref.name} v{ref.version} from "
                f"MLflow ({version_error(error)}); try again later"
            ) from error
        if document is None:
            return Missing(
                f"{ref.name} v{ref.version} (served for {model.ticker}) has no "
                f"{WALK_FORWARD_ARTIFACT}: it was trained before walk-forward series were "
                "logged; retrain to get it"
            )
        try:
            return parse_series(document, model.ticker, ref.version)
        except (KeyError, TypeError, ValueError) as error:
            return Missing(
                f"{WALK_FORWARD_ARTIFACT} of {ref.name} v{ref.version} is not a walk-forward "
                f"series ({version_error(error)}); retrain to replace it"
            )
