"""deposit_requests.released_at: when a link's expiry released its booking's tables

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 09:00:00

(0012 is another branch's; on merge this revision follows it.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deposit_requests') as batch:
        batch.add_column(sa.Column('released_at', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deposit_requests') as batch:
        batch.drop_column('released_at')
