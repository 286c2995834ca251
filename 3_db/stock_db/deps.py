"""FastAPI dependencies every service shares: the database engine its main.py put on
app.state. (Settings differ by service, so each service's api/deps.py types its own.)"""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]
