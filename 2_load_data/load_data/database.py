"""The service's engine: the shared stock_db engine, with a short connect timeout on Postgres
so that /health answers "degraded" quickly instead of hanging when the server is gone."""

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from stock_db import create_db_engine


def engine_for(url: str) -> Engine:
    if make_url(url).get_backend_name() == "postgresql":
        return create_db_engine(url, connect_args={"connect_timeout": 5})
    return create_db_engine(url)
