"""marketing consent: records per channel on the guest, and their history (issue 16)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10 09:00:00

The never-set ``marketing_consent`` flag becomes ``consent`` (the latest record per
channel, JSON) in its place, so the columns keep their order; ``customer_consents``
keeps every record.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No desk ever set the flag (no view offered it): no guest said yes, so none is kept.
    op.alter_column(
        'customers', 'marketing_consent', new_column_name='consent',
        type_=postgresql.JSONB(), existing_type=sa.Boolean(), existing_nullable=False,
        postgresql_using="'[]'::jsonb",
    )
    op.create_table(
        'customer_consents',
        sa.Column('customer_id', postgresql.UUID(), nullable=False),
        sa.Column('channel', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('given', sa.Boolean(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('wording_id', sa.Text(), nullable=False),
        sa.Column('wording_version', sa.Integer(), nullable=False),
        sa.Column('recorded_by', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('email', 'sms')", name=op.f('ck_customer_consents_channel')
        ),
        sa.ForeignKeyConstraint(
            ['customer_id'], ['customers.id'],
            name=op.f('fk_customer_consents_customer_id_customers'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_customer_consents_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint(
            'customer_id', 'channel', 'at', 'given', name=op.f('pk_customer_consents')
        ),
    )


def downgrade() -> None:
    op.drop_table('customer_consents')
    op.alter_column(
        'customers', 'consent', new_column_name='marketing_consent',
        type_=sa.Boolean(), existing_type=postgresql.JSONB(), existing_nullable=False,
        postgresql_using="false",
    )
