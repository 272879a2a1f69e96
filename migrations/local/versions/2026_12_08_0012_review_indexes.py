"""review indexes: a night's conflicts found by booking (the manager's night review)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sync_conflict') as batch:
        batch.create_index('ix_sync_conflict_booking_id', ['booking_id'])


def downgrade() -> None:
    with op.batch_alter_table('sync_conflict') as batch:
        batch.drop_index('ix_sync_conflict_booking_id')
