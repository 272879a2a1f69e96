"""stripe_customer_deletions: a guest's saved-card customer at Stripe, deleted when the
guest is erased at their request (server.payments.forget)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-15 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'stripe_customer_deletions',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('customer_ref', sa.Text(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name='fk_stripe_customer_deletions_venue_id_venues'
        ),
        sa.PrimaryKeyConstraint('id', name='pk_stripe_customer_deletions'),
        sa.UniqueConstraint(
            'venue_id', 'customer_ref', name='uq_stripe_customer_deletions_venue_id'
        ),
    )


def downgrade() -> None:
    op.drop_table('stripe_customer_deletions')
