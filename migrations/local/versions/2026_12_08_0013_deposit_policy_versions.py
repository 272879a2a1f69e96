"""deposit policy versions: each booking keeps the version that priced its deposit, and the
venue's policy versions are pulled from the server

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 0: priced before policies had versions (the policy then is read as version 1).
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'deposit_policy_version', sa.Integer(), nullable=False, server_default='0'
            )
        )
    op.create_table(
        'deposit_policies',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('policy_version', sa.Integer(), nullable=False),
        sa.Column('terms', sa.Text(), nullable=False),
        sa.Column('set_by', sa.String(length=120), nullable=False),
        sa.Column('set_at', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit_policies')),
        sa.UniqueConstraint('policy_version', name=op.f('uq_deposit_policies_policy_version')),
    )


def downgrade() -> None:
    op.drop_table('deposit_policies')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_column('deposit_policy_version')
