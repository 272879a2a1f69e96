"""message_outbox, message_suppressions, message_inbound: guest messages (issue 16)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09 09:00:00

On merge, down_revision becomes the lead's 0011 (this branch was cut before 0010/0011).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "'pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled', 'suppressed', 'logged'"
)


def upgrade() -> None:
    op.create_table(
        'message_outbox',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('booking_id', postgresql.UUID(), nullable=True),
        sa.Column('idempotency_key', sa.Text(), nullable=False),
        sa.Column('channel', sa.Text(), nullable=False),
        sa.Column('template', sa.Text(), nullable=False),
        sa.Column('recipient', sa.Text(), nullable=False),
        sa.Column('subject', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=True),
        sa.Column('status', sa.Text(), server_default='pending', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lease_owner', sa.Text(), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempt_started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('provider_id', sa.Text(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column(
            'created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
            nullable=False,
        ),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f'status IN ({STATUSES})', name=op.f('ck_message_outbox_status')),
        sa.CheckConstraint(
            "channel IN ('email', 'sms')", name=op.f('ck_message_outbox_channel')
        ),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_message_outbox_attempts')),
        sa.ForeignKeyConstraint(
            ['booking_id'], ['bookings.id'], name=op.f('fk_message_outbox_booking_id_bookings')
        ),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_message_outbox_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_outbox')),
    )
    op.create_index(
        'ix_message_outbox_idempotency_key', 'message_outbox', ['idempotency_key'], unique=True
    )
    op.create_index('ix_message_outbox_booking_id', 'message_outbox', ['booking_id'])
    op.create_index(
        'ix_message_outbox_due', 'message_outbox', ['due_at'],
        postgresql_where=sa.text("status IN ('pending', 'sending')"),
    )
    op.create_table(
        'message_suppressions',
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('channel', sa.Text(), nullable=False),
        sa.Column('recipient', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('email', 'sms')", name=op.f('ck_message_suppressions_channel')
        ),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_message_suppressions_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint(
            'venue_id', 'channel', 'recipient', name=op.f('pk_message_suppressions')
        ),
    )
    op.create_table(
        'message_inbound',
        sa.Column('message_sid', sa.Text(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('booking_id', postgresql.UUID(), nullable=True),
        sa.Column('from_number', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('why', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['booking_id'], ['bookings.id'], name=op.f('fk_message_inbound_booking_id_bookings')
        ),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_message_inbound_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint('message_sid', name=op.f('pk_message_inbound')),
    )
    op.create_index('ix_message_inbound_booking_id', 'message_inbound', ['booking_id'])


def downgrade() -> None:
    op.drop_index('ix_message_inbound_booking_id', table_name='message_inbound')
    op.drop_table('message_inbound')
    op.drop_table('message_suppressions')
    op.drop_index('ix_message_outbox_due', table_name='message_outbox')
    op.drop_index('ix_message_outbox_booking_id', table_name='message_outbox')
    op.drop_index('ix_message_outbox_idempotency_key', table_name='message_outbox')
    op.drop_table('message_outbox')
