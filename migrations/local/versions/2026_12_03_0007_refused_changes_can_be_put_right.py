"""sync_outcome: a refused intent's body, and how staff settled the refusal (who, when)

A refused new booking that staff only "acknowledged" before this revision is still
on the desk, in conflict and holding no table; it is made unsettled again, so the
desk counts it until it is retried or discarded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sync_outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('settled_as', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('settled_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('settled_at', sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE sync_outcome SET acknowledged = 0 "
        "WHERE outcome = 'rejected' AND name = 'create_booking' "
        "AND entity_id IN (SELECT id FROM booking WHERE status = 'conflict') "
        "AND entity_id NOT IN (SELECT id FROM sync_shadow WHERE entity = 'booking')"
    )


def downgrade() -> None:
    with op.batch_alter_table('sync_outcome', schema=None) as batch_op:
        batch_op.drop_column('settled_at')
        batch_op.drop_column('settled_by')
        batch_op.drop_column('settled_as')
        batch_op.drop_column('body')
