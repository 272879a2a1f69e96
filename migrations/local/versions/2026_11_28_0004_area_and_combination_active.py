"""area and combination: an active flag, so a manager can remove an area or retire a join

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('area', 'combination'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true())
            )


def downgrade() -> None:
    for table in ('combination', 'area'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('active')
