"""bookings.package_id and package_pence: the package a party pre-ordered (app.domain.packages)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-14 09:00:00

NULL and 0: no package (every booking before this revision, and a row written by hand
without them). The bound is the domain's
MAX_PENCE (app/domain/limits.py), spelt out; tests/server/test_one_rule.py holds the two
together.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('bookings', sa.Column('package_id', sa.Text(), nullable=True))
    op.add_column(
        'bookings',
        sa.Column('package_pence', sa.BigInteger(), nullable=False, server_default='0'),
    )
    op.create_check_constraint('package', 'bookings', 'package_pence BETWEEN 0 AND 10000000')


def downgrade() -> None:
    op.drop_constraint('package', 'bookings', type_='check')
    op.drop_column('bookings', 'package_pence')
    op.drop_column('bookings', 'package_id')
