"""marketing consent: the guest's latest record per channel, in place of a flag (issue 16)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 09:00:00

The never-set ``marketing_consent`` flag becomes ``consent`` (JSON) in its place; the
desk keeps the latest record per channel, the server the whole history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('customer') as batch:
        batch.alter_column(
            'marketing_consent', new_column_name='consent',
            type_=sa.Text(), existing_type=sa.Boolean(), existing_nullable=False,
        )
    # No desk ever set the flag (no view offered it): no guest said yes.
    op.execute("UPDATE customer SET consent = '[]'")


def downgrade() -> None:
    op.execute("UPDATE customer SET consent = '0'")
    with op.batch_alter_table('customer') as batch:
        batch.alter_column(
            'consent', new_column_name='marketing_consent',
            type_=sa.Boolean(), existing_type=sa.Text(), existing_nullable=False,
        )
