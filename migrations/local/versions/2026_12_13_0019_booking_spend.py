"""booking.spend_pence: what a party spent, from the till (app.domain.spend)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-13 09:00:00

NULL: not recorded (every booking before this revision).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('booking', sa.Column('spend_pence', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('booking') as batch:
        batch.drop_column('spend_pence')
