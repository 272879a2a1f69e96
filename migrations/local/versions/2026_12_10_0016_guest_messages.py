"""guest_messages, guest_replies: the server's guest messages and the replies, pulled

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'guest_messages',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('booking_id', sa.String(length=36), nullable=True),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('template', sa.String(length=40), nullable=False),
        sa.Column('recipient', sa.String(length=120), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('due_at', sa.String(length=32), nullable=False),
        sa.Column('sent_at', sa.String(length=32), nullable=True),
        sa.Column('delivered_at', sa.String(length=32), nullable=True),
        sa.Column('updated_at', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_messages')),
    )
    with op.batch_alter_table('guest_messages') as batch:
        batch.create_index('ix_guest_messages_booking_id', ['booking_id'])
        batch.create_index('ix_guest_messages_created_at', ['created_at'])
    op.create_table(
        'guest_replies',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('booking_id', sa.String(length=36), nullable=True),
        sa.Column('sender', sa.String(length=40), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('why', sa.Text(), nullable=False),
        sa.Column('received_at', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('seen', sa.Boolean(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_replies')),
    )
    with op.batch_alter_table('guest_replies') as batch:
        batch.create_index('ix_guest_replies_booking_id', ['booking_id'])
        batch.create_index('ix_guest_replies_received_at', ['received_at'])


def downgrade() -> None:
    op.drop_table('guest_replies')
    op.drop_table('guest_messages')
