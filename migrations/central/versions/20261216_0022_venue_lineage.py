"""venue_lineage: a venue's copy of the database, changed when it is restored from a
backup (``backroom-server restored``), so desks that pulled from the copy before are
stopped whatever the version numbers say

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-16 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'venue_versions',
        sa.Column(
            'lineage',
            postgresql.UUID(),
            server_default=sa.text('gen_random_uuid()'),
            nullable=False,
        ),
    )
    op.add_column(
        'venue_versions', sa.Column('restored_at', sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column('venue_versions', 'restored_at')
    op.drop_column('venue_versions', 'lineage')
