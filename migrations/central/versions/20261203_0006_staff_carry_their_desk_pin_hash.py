"""staff: the desk PIN's scrypt hash, so an admin's PIN reaches every desk of the venue

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('staff', sa.Column('pin_hash', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('staff', 'pin_hash')
