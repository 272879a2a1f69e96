"""payments_found_after_a_restore: after ``backroom-server restored``, Stripe is asked
for the payment links the restored copy lost, and each is taken back once its booking
is here (server.payments.found)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-17 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'payment_recoveries',
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.Column('restored_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('listed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name='fk_payment_recoveries_venue_id_venues'
        ),
        sa.PrimaryKeyConstraint('venue_id', name='pk_payment_recoveries'),
    )
    op.create_table(
        'found_checkouts',
        sa.Column('session_id', sa.Text(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('booking_id', postgresql.UUID(), nullable=False),
        sa.Column('request_id', postgresql.UUID(), nullable=False),
        sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name='fk_found_checkouts_venue_id_venues'
        ),
        sa.PrimaryKeyConstraint('session_id', name='pk_found_checkouts'),
    )
    op.create_index('ix_found_checkouts_booking', 'found_checkouts', ['booking_id'])


def downgrade() -> None:
    op.drop_index('ix_found_checkouts_booking', table_name='found_checkouts')
    op.drop_table('found_checkouts')
    op.drop_table('payment_recoveries')
