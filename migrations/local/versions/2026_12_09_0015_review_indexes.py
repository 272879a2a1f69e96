"""review indexes: a night's conflicts found by booking (the manager's night review)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sync_conflict') as batch:
        batch.create_index('ix_sync_conflict_booking_id', ['booking_id'])


def downgrade() -> None:
    with op.batch_alter_table('sync_conflict') as batch:
        batch.drop_index('ix_sync_conflict_booking_id')
