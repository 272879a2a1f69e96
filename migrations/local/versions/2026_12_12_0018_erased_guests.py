"""customer.erased_at and audit_event.redacted_at: a guest forgotten at their request

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-12 09:00:00

The server erases a guest (docs/data-protection.md); the desk learns it from the pulled
record and scrubs its own copies, marking each audit event it scrubbed so its chain
still verifies.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('customer', sa.Column('erased_at', sa.String(32), nullable=True))
    op.add_column('audit_event', sa.Column('redacted_at', sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_column('redacted_at')
    with op.batch_alter_table('customer') as batch:
        batch.drop_column('erased_at')
