"""GET /schedule: when each ticker's next cycle runs."""

from fastapi import APIRouter

from shepherd.api.deps import ScheduleDep
from shepherd.api.schemas import ScheduleResponse

router = APIRouter(tags=["schedule"])


@router.get("/schedule", response_model=ScheduleResponse)
def get_schedule(schedule: ScheduleDep) -> ScheduleResponse:
    """The crontab, its time zone, and the next run time per job (`cycle-<TICKER>`); with
    SHEPHERD_SCHEDULE=off, `enabled` is false and there are no jobs."""
    return ScheduleResponse.of(schedule)
