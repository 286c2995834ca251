"""Settings of the load_data service, read from the environment (names shared suite-wide)."""

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from load_data.domain.validation import normalise_ticker
from stock_db.engine import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # `yahoo`, `sample` (bundled MSFT history) or `csv:PATH` (read at each load).
    price_source: str = "yahoo"
    # NoDecode: the variable is a plain comma list ("MSFT,AAPL"), not JSON.
    tickers: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["MSFT"])
    # When set, POST /load needs `Authorization: Bearer <token>`; unset = open (local use).
    admin_token: SecretStr | None = None
    # Yahoo is flaky and rate limits: a bounded number of attempts with exponential backoff.
    yahoo_attempts: int = Field(default=3, ge=1, le=10)
    yahoo_backoff_seconds: float = Field(default=1.0, ge=0)
    yahoo_backoff_max_seconds: float = Field(default=20.0, ge=0)

    @field_validator("tickers", mode="before")
    @classmethod
    def _split_tickers(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            return [normalise_ticker(str(part)) for part in value]
        return value

    @field_validator("price_source")
    @classmethod
    def _check_price_source(cls, value: str) -> str:
        value = value.strip()
        if value in ("yahoo", "sample") or (value.startswith("csv:") and len(value) > 4):
            return value
        raise ValueError(f"PRICE_SOURCE must be 'yahoo', 'sample' or 'csv:PATH', not {value!r}")

    @field_validator("admin_token", mode="before")
    @classmethod
    def _empty_token_is_unset(cls, value: object) -> object:
        # Compose files often pass `ADMIN_TOKEN=` to mean "no token".
        return None if value == "" else value
