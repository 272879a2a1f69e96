"""bookings.spend_pence: what a party spent, from the till (app.domain.spend)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-13 09:00:00

NULL: not recorded (every booking before this revision). The bound is the domain's
MAX_PENCE (app/domain/limits.py), spelt out; tests/server/test_one_rule.py holds the two
together.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('bookings', sa.Column('spend_pence', sa.BigInteger(), nullable=True))
    op.create_check_constraint('spend', 'bookings', 'spend_pence BETWEEN 0 AND 10000000')


def downgrade() -> None:
    op.drop_constraint('spend', 'bookings', type_='check')
    op.drop_column('bookings', 'spend_pence')
