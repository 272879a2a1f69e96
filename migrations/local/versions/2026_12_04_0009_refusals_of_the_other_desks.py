"""venue_refusal: changes the server refused from the venue's other desks, shown here until
the desk that made them settles them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'venue_refusal',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('device_name', sa.String(length=120), nullable=False),
        sa.Column('device_seq', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('staff_id', sa.String(length=36), nullable=False),
        sa.Column('args', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('refused_at', sa.String(length=32), nullable=False),
        sa.Column('settled', sa.String(length=16), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('acknowledged', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_venue_refusal')),
    )


def downgrade() -> None:
    op.drop_table('venue_refusal')
