"""deposit_ledger: the deposit ledger as the server has it, plus this desk's unsent entries

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'deposit_ledger',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('booking_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('amount_pence', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('staff_id', sa.String(length=36), nullable=False),
        sa.Column('staff_name', sa.String(length=120), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=True),
        sa.Column('recorded_at', sa.String(length=32), nullable=False),
        sa.Column('provider_ref', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('mutation_id', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit_ledger')),
    )
    with op.batch_alter_table('deposit_ledger') as batch:
        batch.create_index('ix_deposit_ledger_booking_id', ['booking_id'])
        batch.create_index('ix_deposit_ledger_recorded_at', ['recorded_at'])


def downgrade() -> None:
    op.drop_table('deposit_ledger')
