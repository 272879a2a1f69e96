"""deposit_requests: the deposit payment links the server made, pulled

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'deposit_requests',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('booking_id', sa.String(length=36), nullable=False),
        sa.Column('amount_pence', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('url', sa.Text(), nullable=True),
        sa.Column('expires_at', sa.String(length=32), nullable=True),
        sa.Column('requested_by', sa.String(length=120), nullable=False),
        sa.Column('requested_at', sa.String(length=32), nullable=False),
        sa.Column('problem', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit_requests')),
    )
    with op.batch_alter_table('deposit_requests') as batch:
        batch.create_index('ix_deposit_requests_booking_id', ['booking_id'])


def downgrade() -> None:
    op.drop_table('deposit_requests')
