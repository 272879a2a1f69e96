"""deposit_requests.short_token: the short payment link an SMS carries (/p/{token})

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('deposit_requests', sa.Column('short_token', sa.Text(), nullable=True))
    op.create_index(
        'ix_deposit_requests_short_token', 'deposit_requests', ['short_token'], unique=True
    )


def downgrade() -> None:
    op.drop_index('ix_deposit_requests_short_token', table_name='deposit_requests')
    op.drop_column('deposit_requests', 'short_token')
