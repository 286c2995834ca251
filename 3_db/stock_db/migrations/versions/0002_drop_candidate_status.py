"""Drop 'candidate' from ck_models_status: only champion, rejected, retired are written.

A row still saying 'candidate' makes this revision fail (the new CHECK refuses it) rather than
be rewritten silently.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _replace_status_check(condition: str) -> None:
    # Plain ALTERs on Postgres; on SQLite, which cannot alter a constraint, batch mode copies
    # the table into a new one with the new CHECK (rows, other CHECKs and the index carried over).
    with op.batch_alter_table("models") as batch:
        batch.drop_constraint("ck_models_status", type_="check")
        batch.create_check_constraint("ck_models_status", condition)


def upgrade() -> None:
    _replace_status_check("status IN ('champion', 'rejected', 'retired')")


def downgrade() -> None:
    _replace_status_check("status IN ('candidate', 'champion', 'rejected', 'retired')")
