"""The server's own audit events (no desk), and when an expired link released its booking

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 09:00:00

(0010 is the hold/card-on-file migration of another branch; on merge this revision
follows it.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An event with no desk is the server's own (app.domain.audit.SERVER): one chain per
    # venue, numbered by seq.
    op.alter_column('audit_events', 'device_id', nullable=True)
    op.create_index(
        'uq_audit_events_server_seq',
        'audit_events',
        ['venue_id', 'seq'],
        unique=True,
        postgresql_where=sa.text('device_id IS NULL'),
    )
    op.add_column(
        'deposit_requests', sa.Column('released_at', sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column('deposit_requests', 'released_at')
    op.drop_index('uq_audit_events_server_seq', table_name='audit_events')
    op.execute('DELETE FROM audit_events WHERE device_id IS NULL')
    op.alter_column('audit_events', 'device_id', nullable=False)
