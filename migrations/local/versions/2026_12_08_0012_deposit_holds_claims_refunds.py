"""deposit_requests carry holds, saved cards, claims and refunds (pulled)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deposit_requests') as batch:
        batch.add_column(
            sa.Column('kind', sa.String(length=16), server_default='link', nullable=False)
        )
        batch.add_column(
            sa.Column('mode', sa.String(length=16), server_default='payment', nullable=False)
        )
        batch.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('card_last4', sa.String(length=4), nullable=True))
        batch.add_column(sa.Column('capture_before', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deposit_requests') as batch:
        for name in ('capture_before', 'card_last4', 'reason', 'mode', 'kind'):
            batch.drop_column(name)
