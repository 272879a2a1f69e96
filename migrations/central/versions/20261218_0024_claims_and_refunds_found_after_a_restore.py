"""claims_and_refunds_found_after_a_restore: the claims, refunds and releases a restored
copy lost, found at Stripe and kept until their booking is here (server.payments.moved)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-18 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'found_moves',
        sa.Column('ref', sa.Text(), nullable=False),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('booking_id', postgresql.UUID(), nullable=False),
        sa.Column('request_id', postgresql.UUID(), nullable=False),
        sa.Column('payment_ref', sa.Text(), nullable=False),
        sa.Column('amount_pence', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.Text(), nullable=False),
        sa.Column('moved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name='fk_found_moves_venue_id_venues'),
        sa.PrimaryKeyConstraint('ref', name='pk_found_moves'),
    )
    op.create_index('ix_found_moves_booking', 'found_moves', ['booking_id'])


def downgrade() -> None:
    op.drop_index('ix_found_moves_booking', table_name='found_moves')
    op.drop_table('found_moves')
