"""2_load_data's `POST /load`: fetch a range from its price source and upsert it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from shepherd.adapters.http import ServiceClient, ServiceError


@dataclass(frozen=True)
class LoadReport:
    source: str
    fetched: int
    inserted: int
    updated: int
    rejected: int
    first_date: date | None
    last_date: date | None

    @property
    def rows(self) -> int:
        """Rows written: new plus changed."""
        return self.inserted + self.updated

    def as_detail(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "fetched": self.fetched,
            "inserted": self.inserted,
            "updated": self.updated,
            "rejected": self.rejected,
            "first_date": _iso(self.first_date),
            "last_date": _iso(self.last_date),
        }


class LoadDataClient:
    def __init__(self, http: ServiceClient, load_timeout_seconds: float) -> None:
        self.http = http
        self.load_timeout_seconds = load_timeout_seconds

    def load(self, ticker: str, start: date, end: date) -> LoadReport:
        body = self.http.call(
            "POST",
            "/load",
            json={"ticker": ticker, "start_date": start.isoformat(), "end_date": end.isoformat()},
            timeout_seconds=self.load_timeout_seconds,
        )
        try:
            return LoadReport(
                source=str(body["source"]),
                fetched=int(body["fetched"]),
                inserted=int(body["inserted"]),
                updated=int(body["updated"]),
                rejected=int(body.get("rejected", 0)),
                first_date=_date(body.get("first_date")),
                last_date=_date(body.get("last_date")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServiceError(self.http.service, f"unexpected /load answer: {error!r}") from None


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
