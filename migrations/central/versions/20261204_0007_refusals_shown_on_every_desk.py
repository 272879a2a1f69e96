"""refusals: every change the server refuses, kept for every desk of the venue to show
until the desk that made it settles it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'refusals',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('device_id', postgresql.UUID(), nullable=False),
        sa.Column('device_name', sa.Text(), nullable=False),
        sa.Column('device_seq', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('entity_id', postgresql.UUID(), nullable=False),
        sa.Column('staff_id', postgresql.UUID(), nullable=False),
        sa.Column('args', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('refused_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('settled', sa.Text(), nullable=True),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column(
            'updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
            nullable=False,
        ),
        sa.CheckConstraint(
            "settled IS NULL OR settled IN ('retried', 'amended', 'discarded', 'acknowledged')",
            name=op.f('ck_refusals_settled'),
        ),
        sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_refusals_device_id_devices')),
        sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_refusals_venue_id_venues')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refusals')),
    )
    op.create_index('ix_refusals_venue_version', 'refusals', ['venue_id', 'version'])


def downgrade() -> None:
    op.drop_index('ix_refusals_venue_version', table_name='refusals')
    op.drop_table('refusals')
