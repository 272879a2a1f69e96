"""outbox.name indexed: the deposits and packages a desk set and the server has not answered

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-15 09:00:00

A desk prices by its own pending ``set_deposit_policy`` (app.models.policy_repository),
looked up by name each time it reads its venue; a desk with no server keeps every intent
it made in the outbox, so that look-up must not read them all.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.create_index(batch.f('ix_outbox_name'), ['name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_index(batch.f('ix_outbox_name'))
