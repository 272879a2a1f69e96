"""device.server_lineage: which copy of the venue's history this desk last pulled from

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-16 09:00:00

The server's database gets a new lineage when its operator says it was restored from a
backup (``backroom-server restored``); a desk sends the one it last pulled from with each
pull and is refused, keeping everything it holds, if the server's has changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('device') as batch:
        batch.add_column(sa.Column('server_lineage', sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('device') as batch:
        batch.drop_column('server_lineage')
