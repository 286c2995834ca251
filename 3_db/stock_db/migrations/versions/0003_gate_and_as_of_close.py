"""models.gate: the promotion gate's decision, statistics and p-values for each version;
predictions.as_of_close: the close the forecast started from, as stored when it was made, so
live scoring survives a later re-adjustment of the price history. Both nullable: rows written
before this revision have neither.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("models") as batch:
        batch.add_column(sa.Column("gate", JSON_DOCUMENT, nullable=True))
    with op.batch_alter_table("predictions") as batch:
        batch.add_column(sa.Column("as_of_close", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("predictions") as batch:
        batch.drop_column("as_of_close")
    with op.batch_alter_table("models") as batch:
        batch.drop_column("gate")
