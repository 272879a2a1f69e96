"""deposit policy versions: each booking keeps the version that priced its deposit, and each
version of a venue's policy is a synced row

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A venue whose settings name no policy takes none (server.venues.service.NO_DEPOSITS).
_NO_DEPOSITS = '{"per_head_pence": 0, "min_party": 1, "busy_weekdays": [], "vip_exempt": true}'


def upgrade() -> None:
    # 0: priced before policies had versions (the policy then is read as version 1).
    op.add_column(
        'bookings',
        sa.Column(
            'deposit_policy_version', sa.Integer(), nullable=False, server_default='0'
        ),
    )
    op.create_check_constraint(
        'deposit_policy_version', 'bookings', 'deposit_policy_version >= 0'
    )
    op.create_table(
        'deposit_policies',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('venue_id', postgresql.UUID(), nullable=False),
        sa.Column('policy_version', sa.Integer(), nullable=False),
        sa.Column('terms', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('set_by', sa.Text(), nullable=False),
        sa.Column(
            'set_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
            nullable=False,
        ),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column(
            'updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
            nullable=False,
        ),
        sa.CheckConstraint('policy_version >= 1', name=op.f('ck_deposit_policies_policy_version')),
        sa.ForeignKeyConstraint(
            ['venue_id'], ['venues.id'], name=op.f('fk_deposit_policies_venue_id_venues')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit_policies')),
        sa.UniqueConstraint(
            'venue_id', 'policy_version', name='uq_deposit_policies_venue_version'
        ),
    )
    op.create_index(
        'ix_deposit_policies_venue_version', 'deposit_policies', ['venue_id', 'version']
    )
    # Each venue's policy as it stands becomes its version 1 (or the version it names),
    # stamped with a new venue version so every desk pulls it.
    op.execute(
        f"""
        WITH bumped AS (
            UPDATE venue_versions SET version = version + 1
            WHERE venue_id IN (SELECT id FROM venues)
            RETURNING venue_id, version
        )
        INSERT INTO deposit_policies
            (id, venue_id, policy_version, terms, set_by, set_at, version, updated_at)
        SELECT gen_random_uuid(), v.id,
               COALESCE((v.settings -> 'deposit_policy' ->> 'version')::int, 1),
               COALESCE(v.settings -> 'deposit_policy', '{_NO_DEPOSITS}'::jsonb),
               'the venue''s plan file', now(), b.version, now()
        FROM venues v JOIN bumped b ON b.venue_id = v.id
        """
    )


def downgrade() -> None:
    op.drop_index('ix_deposit_policies_venue_version', table_name='deposit_policies')
    op.drop_table('deposit_policies')
    op.drop_constraint('deposit_policy_version', 'bookings', type_='check')
    op.drop_column('bookings', 'deposit_policy_version')
