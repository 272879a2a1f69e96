"""deposit_requests and payment_events: deposit payment links and the Stripe events applied

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'deposit_requests',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('booking_id', postgresql.UUID(), nullable=False),
        sa.Column('amount_pence', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.Text(), nullable=False),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('link_minutes', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Text(), nullable=True),
        sa.Column('url', sa.Text(), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('requested_by', sa.Text(), nullable=False),
        sa.Column('staff_id', postgresql.UUID(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('problem', sa.Text(), nullable=True),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column(
            'updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'open', 'paid', 'expired', 'failed')",
            name=op.f('ck_deposit_requests_status'),
        ),
        sa.CheckConstraint('amount_pence > 0', name=op.f('ck_deposit_requests_amount')),
        sa.CheckConstraint("currency = 'GBP'", name=op.f('ck_deposit_requests_currency')),
        sa.ForeignKeyConstraint(
            ['booking_id'], ['bookings.id'], name=op.f('fk_deposit_requests_booking_id_bookings')
        ),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_deposit_requests_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit_requests')),
    )
    op.create_index(
        'ix_deposit_requests_venue_version', 'deposit_requests', ['venue_id', 'version']
    )
    op.create_index('ix_deposit_requests_booking_id', 'deposit_requests', ['booking_id'])
    op.create_index(
        'ix_deposit_requests_session', 'deposit_requests', ['session_id'], unique=True
    )
    op.create_table(
        'payment_events',
        sa.Column('id', sa.Text(), nullable=False),
        sa.Column('type', sa.Text(), nullable=False),
        sa.Column('request_id', postgresql.UUID(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_events')),
    )


def downgrade() -> None:
    op.drop_table('payment_events')
    op.drop_index('ix_deposit_requests_session', table_name='deposit_requests')
    op.drop_index('ix_deposit_requests_booking_id', table_name='deposit_requests')
    op.drop_index('ix_deposit_requests_venue_version', table_name='deposit_requests')
    op.drop_table('deposit_requests')
