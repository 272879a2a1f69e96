"""Guest messages and replies carry the venue's version, so every desk pulls them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 09:00:00

A reply gets a uuid ``id`` of its own (its key stays the provider's MessageSid): a desk
mirrors every row by uuid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('message_outbox', 'message_inbound')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column('version', sa.BigInteger(), server_default='0', nullable=False)
        )
        op.add_column(
            table,
            sa.Column(
                'updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                nullable=False,
            ),
        )
        op.create_index(f'ix_{table}_venue_version', table, ['venue_id', 'version'])
    op.add_column(
        'message_inbound',
        sa.Column(
            'id', postgresql.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False
        ),
    )
    op.create_index('ix_message_inbound_id', 'message_inbound', ['id'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_message_inbound_id', table_name='message_inbound')
    op.drop_column('message_inbound', 'id')
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_venue_version', table_name=table)
        op.drop_column(table, 'updated_at')
        op.drop_column(table, 'version')
