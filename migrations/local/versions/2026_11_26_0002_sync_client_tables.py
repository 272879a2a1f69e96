"""sync client tables: shadow rows, outcomes, conflicts, holds, staff aliases; server url

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sync_shadow',
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'id', name=op.f('pk_sync_shadow'))
    )
    op.create_table('sync_outcome',
    sa.Column('device_seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('conflict_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.String(length=32), nullable=False),
    sa.Column('acknowledged', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('device_seq', name=op.f('pk_sync_outcome')),
    sa.UniqueConstraint('mutation_id', name=op.f('uq_sync_outcome_mutation_id'))
    )
    with op.batch_alter_table('sync_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_outcome_entity_id'), ['entity_id'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('booking_id', sa.String(length=36), nullable=False),
    sa.Column('other_booking_id', sa.String(length=36), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('staff_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('resolved_at', sa.String(length=32), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('allowed', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_state'), ['state'], unique=False)

    op.create_table('sync_hold',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_hold'))
    )
    op.create_table('sync_staff_alias',
    sa.Column('old_id', sa.String(length=36), nullable=False),
    sa.Column('new_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('old_id', name=op.f('pk_sync_staff_alias'))
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('server_url', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('server_url')

    op.drop_table('sync_staff_alias')
    op.drop_table('sync_hold')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_state'))

    op.drop_table('sync_conflict')
    with op.batch_alter_table('sync_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_outcome_entity_id'))

    op.drop_table('sync_outcome')
    op.drop_table('sync_shadow')
