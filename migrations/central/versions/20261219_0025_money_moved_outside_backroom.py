"""money_moved_outside_backroom: how far the reconciliation has listed Stripe's events,
to record refunds, captures and releases made at Stripe outside Backroom
(server.payments.outside)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-19 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'payment_watch',
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('listed_to', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name='pk_payment_watch'),
    )


def downgrade() -> None:
    op.drop_table('payment_watch')
