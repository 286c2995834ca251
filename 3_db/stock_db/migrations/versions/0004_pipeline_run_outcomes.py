"""pipeline_runs says what the shepherd's cycles ended as: status 'locked' (another process held
the ticker's cycle) and 'refused' (the gate kept the champion) beside running, succeeded,
failed and skipped (nothing to do); trigger 'cron' (`python -m shepherd run-once`) beside
schedule, manual and bootstrap.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = "'schedule', 'manual', 'bootstrap'"
STATUSES = "'running', 'succeeded', 'failed', 'skipped'"


def _replace_checks(triggers: str, statuses: str) -> None:
    with op.batch_alter_table("pipeline_runs") as batch:
        batch.drop_constraint("ck_pipeline_runs_trigger", type_="check")
        batch.create_check_constraint("ck_pipeline_runs_trigger", f"trigger IN ({triggers})")
        batch.drop_constraint("ck_pipeline_runs_status", type_="check")
        batch.create_check_constraint("ck_pipeline_runs_status", f"status IN ({statuses})")


def upgrade() -> None:
    _replace_checks(f"{TRIGGERS}, 'cron'", f"{STATUSES}, 'locked', 'refused'")


def downgrade() -> None:
    op.execute("UPDATE pipeline_runs SET status = 'skipped' WHERE status IN ('locked', 'refused')")
    op.execute("UPDATE pipeline_runs SET trigger = 'manual' WHERE trigger = 'cron'")
    _replace_checks(TRIGGERS, STATUSES)
