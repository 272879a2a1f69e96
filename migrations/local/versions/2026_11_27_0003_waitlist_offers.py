"""waitlist offers: freed tables, offers, the fairness log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('waitlist_freed',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('table_ids', sa.Text(), nullable=False),
    sa.Column('min_party', sa.Integer(), nullable=False),
    sa.Column('max_party', sa.Integer(), nullable=False),
    sa.Column('start', sa.String(length=32), nullable=False),
    sa.Column('until', sa.String(length=32), nullable=True),
    sa.Column('vip', sa.Boolean(), nullable=False),
    sa.Column('why', sa.String(length=40), nullable=False),
    sa.Column('freed_at', sa.String(length=32), nullable=False),
    sa.Column('closed_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_freed'))
    )
    with op.batch_alter_table('waitlist_freed', schema=None) as batch_op:
        batch_op.create_index('ix_waitlist_freed_day_open', ['service_day', 'closed_at'], unique=False)

    op.create_table('waitlist_offer',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('freed_id', sa.String(length=80), nullable=False),
    sa.Column('booking_id', sa.String(length=36), nullable=False),
    sa.Column('offered_at', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.String(length=32), nullable=False),
    sa.Column('ended_at', sa.String(length=32), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_offer'))
    )
    with op.batch_alter_table('waitlist_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waitlist_offer_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waitlist_offer_freed_id'), ['freed_id'], unique=False)

    op.create_table('waitlist_skip',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('freed_id', sa.String(length=80), nullable=False),
    sa.Column('booking_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_skip'))
    )
    with op.batch_alter_table('waitlist_skip', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waitlist_skip_freed_id'), ['freed_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('waitlist_skip', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_skip_freed_id'))

    op.drop_table('waitlist_skip')
    with op.batch_alter_table('waitlist_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_offer_freed_id'))
        batch_op.drop_index(batch_op.f('ix_waitlist_offer_booking_id'))

    op.drop_table('waitlist_offer')
    with op.batch_alter_table('waitlist_freed', schema=None) as batch_op:
        batch_op.drop_index('ix_waitlist_freed_day_open')

    op.drop_table('waitlist_freed')
