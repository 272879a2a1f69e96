"""booking.package_id and package_pence: the package a party pre-ordered (app.domain.packages)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-14 09:00:00

NULL and 0: no package (every booking before this revision).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('booking', sa.Column('package_id', sa.String(), nullable=True))
    op.add_column(
        'booking', sa.Column('package_pence', sa.Integer(), nullable=False, server_default='0')
    )


def downgrade() -> None:
    with op.batch_alter_table('booking') as batch:
        batch.drop_column('package_pence')
        batch.drop_column('package_id')
