"""What routes need, as `Annotated` dependencies read from app.state (set by main.py). The
admin check is the suite's (stock_db.auth.AdminDep)."""

from typing import Annotated

from fastapi import Depends, Request

from shepherd.config import Settings
from shepherd.usecases.background import CycleStarter
from shepherd.usecases.schedule import ScheduleView, disabled_view
from stock_db.deps import EngineDep, get_engine  # noqa: F401  (re-exported for routes)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_runner(request: Request) -> CycleStarter:
    runner: CycleStarter = request.app.state.runner
    return runner


def get_schedule(request: Request) -> ScheduleView:
    scheduler = request.app.state.scheduler
    if scheduler is None:
        return disabled_view(request.app.state.timezone)
    view: ScheduleView = scheduler.view()
    return view


SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[CycleStarter, Depends(get_runner)]
ScheduleDep = Annotated[ScheduleView, Depends(get_schedule)]
