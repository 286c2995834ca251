"""The suite's settings: the environment names every service shares (DATABASE_URL, TICKERS,
ADMIN_TOKEN). Each service's `Settings` extends `SuiteSettings` with its own knobs."""

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from stock_db.engine import DEFAULT_DATABASE_URL
from stock_db.rules import normalise_ticker


class SuiteSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # NoDecode: the variable is a plain comma list ("MSFT,AAPL"), not JSON.
    tickers: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["MSFT"])
    # Bearer token for actions that change state; unset (or empty) leaves them open, as under
    # `make up`, which binds every service to 127.0.0.1 (compose refuses to start without one).
    admin_token: SecretStr | None = None

    @field_validator("tickers", mode="before")
    @classmethod
    def _split_tickers(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            return list(dict.fromkeys(normalise_ticker(str(part), "TICKERS") for part in value))
        return value

    @field_validator("admin_token", mode="before")
    @classmethod
    def _empty_token_is_unset(cls, value: object) -> object:
        # Compose files often pass `ADMIN_TOKEN=` to mean "no token".
        return None if value == "" else value
