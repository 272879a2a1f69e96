"""deposit_ledger: every deposit payment and waiver (Stripe's kinds later), synced to desks

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'deposit_ledger',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('booking_id', postgresql.UUID(), nullable=False),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('amount_pence', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.Text(), nullable=False),
        sa.Column('method', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('staff_id', postgresql.UUID(), nullable=False),
        sa.Column('staff_name', sa.Text(), nullable=False),
        sa.Column('device_id', postgresql.UUID(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('provider_ref', sa.Text(), nullable=True),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column(
            'updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', "
            "'refund')",
            name=op.f('ck_deposit_ledger_kind'),
        ),
        sa.CheckConstraint(
            "method IS NULL OR method IN ('cash', 'card_machine', 'bank_transfer')",
            name=op.f('ck_deposit_ledger_method'),
        ),
        sa.CheckConstraint('amount_pence >= 0', name=op.f('ck_deposit_ledger_amount')),
        sa.CheckConstraint("currency = 'GBP'", name=op.f('ck_deposit_ledger_currency')),
        sa.ForeignKeyConstraint(
            ['booking_id'], ['bookings.id'], name=op.f('fk_deposit_ledger_booking_id_bookings')
        ),
        sa.ForeignKeyConstraint(
            ['device_id'], ['devices.id'], name=op.f('fk_deposit_ledger_device_id_devices')
        ),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_deposit_ledger_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit_ledger')),
    )
    op.create_index(
        'ix_deposit_ledger_venue_version', 'deposit_ledger', ['venue_id', 'version']
    )
    op.create_index('ix_deposit_ledger_booking_id', 'deposit_ledger', ['booking_id'])


def downgrade() -> None:
    op.drop_index('ix_deposit_ledger_booking_id', table_name='deposit_ledger')
    op.drop_index('ix_deposit_ledger_venue_version', table_name='deposit_ledger')
    op.drop_table('deposit_ledger')
