"""The central schema: venues, floor plans, bookings, sync log, auth, holds, audit.

Two active bookings on one table at overlapping times are impossible in the
database itself: booking_tables carries an exclusion constraint (btree_gist).

Revision ID: 0001
Revises:
Create Date: 2026-11-25 01:28:17.357825
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
    op.execute('CREATE SEQUENCE hold_fencing_tokens')
    op.create_table('login_failures',
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('username', sa.Text(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('venue_id', 'username', name=op.f('pk_login_failures'))
    )
    op.create_table('venues',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('timezone', sa.Text(), nullable=False),
    sa.Column('settings', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues'))
    )
    op.create_table('areas',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('vip', sa.Boolean(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_areas_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas'))
    )
    op.create_index('ix_areas_venue_version', 'areas', ['venue_id', 'version'], unique=False)
    op.create_table('combinations',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('table_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('min_party', sa.Integer(), nullable=False),
    sa.Column('max_party', sa.Integer(), nullable=False),
    sa.Column('strategy', sa.Text(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_combinations_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_combinations'))
    )
    op.create_index('ix_combinations_venue_version', 'combinations', ['venue_id', 'version'], unique=False)
    op.create_table('customers',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('vip', sa.Boolean(), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('marketing_consent', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_customers_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    op.create_index('ix_customers_venue_version', 'customers', ['venue_id', 'version'], unique=False)
    op.create_table('floor_plans',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('source', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_floor_plans_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_floor_plans'))
    )
    op.create_index(op.f('ix_floor_plans_venue_id'), 'floor_plans', ['venue_id'], unique=False)
    op.create_table('staff',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('username', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('reception', 'manager', 'admin')", name=op.f('ck_staff_role')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_staff_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('venue_id', 'username', name='uq_staff_venue_username')
    )
    op.create_index('ix_staff_venue_version', 'staff', ['venue_id', 'version'], unique=False)
    op.create_table('venue_versions',
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_venue_versions_venue_id_venues')),
    sa.PrimaryKeyConstraint('venue_id', name=op.f('pk_venue_versions'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('customer_id', sa.UUID(), nullable=False),
    sa.Column('party_size', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('table_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('combined', sa.Boolean(), nullable=False),
    sa.Column('special_requests', sa.Text(), nullable=False),
    sa.Column('occasion', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('priority_score', sa.Integer(), nullable=False),
    sa.Column('deposit_state', sa.Text(), nullable=False),
    sa.Column('deposit_pence', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'seated', 'completed', 'cancelled', 'no_show', 'waitlisted', 'conflict')", name=op.f('ck_bookings_status')),
    sa.CheckConstraint('deposit_pence >= 0', name=op.f('ck_bookings_deposit')),
    sa.CheckConstraint('duration_minutes BETWEEN 15 AND 720', name=op.f('ck_bookings_duration')),
    sa.CheckConstraint('party_size BETWEEN 1 AND 100', name=op.f('ck_bookings_party_size')),
    sa.CheckConstraint('priority_score BETWEEN 0 AND 1000', name=op.f('ck_bookings_priority')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_bookings_customer_id_customers')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_bookings_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('venue_id', 'reference', name='uq_bookings_venue_reference')
    )
    op.create_index(op.f('ix_bookings_customer_id'), 'bookings', ['customer_id'], unique=False)
    op.create_index('ix_bookings_venue_start', 'bookings', ['venue_id', 'start'], unique=False)
    op.create_index('ix_bookings_venue_version', 'bookings', ['venue_id', 'version'], unique=False)
    op.create_table('devices',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('registered_by', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('audit_hash', sa.Text(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['registered_by'], ['staff.id'], name=op.f('fk_devices_registered_by_staff')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_devices_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    op.create_index(op.f('ix_devices_venue_id'), 'devices', ['venue_id'], unique=False)
    op.create_table('tables',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('area_id', sa.UUID(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('min_covers', sa.Integer(), nullable=False),
    sa.Column('max_covers', sa.Integer(), nullable=False),
    sa.Column('shape', sa.Text(), nullable=False),
    sa.Column('x', sa.Double(), nullable=False),
    sa.Column('y', sa.Double(), nullable=False),
    sa.Column('width', sa.Double(), nullable=False),
    sa.Column('height', sa.Double(), nullable=False),
    sa.Column('rotation', sa.Double(), nullable=False),
    sa.Column('booth', sa.Boolean(), nullable=False),
    sa.Column('vip', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('min_spend_pence', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('min_covers >= 1 AND max_covers >= min_covers', name=op.f('ck_tables_covers')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_tables_area_id_areas')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_tables_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tables'))
    )
    op.create_index('ix_tables_venue_version', 'tables', ['venue_id', 'version'], unique=False)
    op.create_table('audit_events',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('device_id', sa.UUID(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.UUID(), nullable=False),
    sa.Column('staff_name', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('entity', sa.Text(), nullable=False),
    sa.Column('entity_id', sa.UUID(), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('prev_hash', sa.Text(), nullable=False),
    sa.Column('hash', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_audit_events_device_id_devices')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_audit_events_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('device_id', 'seq', name='uq_audit_events_device_seq')
    )
    op.create_index(op.f('ix_audit_events_entity_id'), 'audit_events', ['entity_id'], unique=False)
    op.create_index(op.f('ix_audit_events_venue_id'), 'audit_events', ['venue_id'], unique=False)
    op.create_table('booking_tables',
    sa.Column('booking_id', sa.UUID(), nullable=False),
    sa.Column('table_id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('during', postgresql.TSTZRANGE(), nullable=False),
    postgresql.ExcludeConstraint((sa.column('table_id'), '='), (sa.column('during'), '&&'), deferrable=True, initially='IMMEDIATE', using='gist', name='booking_tables_no_overlap'),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_tables_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['tables.id'], name=op.f('fk_booking_tables_table_id_tables')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_booking_tables_venue_id_venues')),
    sa.PrimaryKeyConstraint('booking_id', 'table_id', name=op.f('pk_booking_tables'))
    )
    op.create_index(op.f('ix_booking_tables_venue_id'), 'booking_tables', ['venue_id'], unique=False)
    op.create_table('conflicts',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=False),
    sa.Column('other_booking_id', sa.UUID(), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('device_id', sa.UUID(), nullable=False),
    sa.Column('staff_id', sa.UUID(), nullable=False),
    sa.Column('staff_name', sa.Text(), nullable=False),
    sa.Column('mutation_id', sa.UUID(), nullable=False),
    sa.Column('allowed', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('resolved_by', sa.UUID(), nullable=True),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("kind IN ('overlap', 'stale_edit', 'edit_after_cancel', 'illegal_move', 'invalid')", name=op.f('ck_conflicts_kind')),
    sa.CheckConstraint("state IN ('open', 'resolved')", name=op.f('ck_conflicts_state')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_conflicts_booking_id_bookings')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_conflicts_device_id_devices')),
    sa.ForeignKeyConstraint(['other_booking_id'], ['bookings.id'], name=op.f('fk_conflicts_other_booking_id_bookings')),
    sa.ForeignKeyConstraint(['resolved_by'], ['staff.id'], name=op.f('fk_conflicts_resolved_by_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_conflicts_staff_id_staff')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_conflicts_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    op.create_index(op.f('ix_conflicts_booking_id'), 'conflicts', ['booking_id'], unique=False)
    op.create_index('ix_conflicts_venue_state', 'conflicts', ['venue_id', 'state'], unique=False)
    op.create_index('ix_conflicts_venue_version', 'conflicts', ['venue_id', 'version'], unique=False)
    op.create_table('holds',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('device_id', sa.UUID(), nullable=False),
    sa.Column('staff_id', sa.UUID(), nullable=True),
    sa.Column('table_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=True),
    sa.Column('fencing_token', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_holds_device_id_devices')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_holds_staff_id_staff')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_holds_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holds')),
    sa.UniqueConstraint('fencing_token', name=op.f('uq_holds_fencing_token'))
    )
    op.create_index('ix_holds_venue_expires', 'holds', ['venue_id', 'expires_at'], unique=False)
    op.create_table('intent_outcomes',
    sa.Column('device_id', sa.UUID(), nullable=False),
    sa.Column('device_seq', sa.BigInteger(), nullable=False),
    sa.Column('mutation_id', sa.UUID(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('body_hash', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('conflict_id', sa.UUID(), nullable=True),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("outcome IN ('applied', 'merged', 'conflict', 'rejected')", name=op.f('ck_intent_outcomes_outcome')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_intent_outcomes_device_id_devices')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_intent_outcomes_venue_id_venues')),
    sa.PrimaryKeyConstraint('device_id', 'device_seq', name=op.f('pk_intent_outcomes')),
    sa.UniqueConstraint('mutation_id', name=op.f('uq_intent_outcomes_mutation_id'))
    )
    op.create_index('ix_intent_outcomes_device_version', 'intent_outcomes', ['device_id', 'version'], unique=False)
    op.create_table('tokens',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('token_hash', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('venue_id', sa.UUID(), nullable=False),
    sa.Column('staff_id', sa.UUID(), nullable=True),
    sa.Column('device_id', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(kind = 'staff' AND staff_id IS NOT NULL) OR (kind = 'device' AND device_id IS NOT NULL)", name=op.f('ck_tokens_owner')),
    sa.CheckConstraint("kind IN ('staff', 'device')", name=op.f('ck_tokens_kind')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_tokens_device_id_devices')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_tokens_staff_id_staff')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_tokens_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_tokens_token_hash'))
    )
    op.create_index(op.f('ix_tokens_device_id'), 'tokens', ['device_id'], unique=False)
    op.create_index(op.f('ix_tokens_staff_id'), 'tokens', ['staff_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_tokens_staff_id'), table_name='tokens')
    op.drop_index(op.f('ix_tokens_device_id'), table_name='tokens')
    op.drop_table('tokens')
    op.drop_index('ix_intent_outcomes_device_version', table_name='intent_outcomes')
    op.drop_table('intent_outcomes')
    op.drop_index('ix_holds_venue_expires', table_name='holds')
    op.drop_table('holds')
    op.drop_index('ix_conflicts_venue_version', table_name='conflicts')
    op.drop_index('ix_conflicts_venue_state', table_name='conflicts')
    op.drop_index(op.f('ix_conflicts_booking_id'), table_name='conflicts')
    op.drop_table('conflicts')
    op.drop_index(op.f('ix_booking_tables_venue_id'), table_name='booking_tables')
    op.drop_table('booking_tables')
    op.drop_index(op.f('ix_audit_events_venue_id'), table_name='audit_events')
    op.drop_index(op.f('ix_audit_events_entity_id'), table_name='audit_events')
    op.drop_table('audit_events')
    op.drop_index('ix_tables_venue_version', table_name='tables')
    op.drop_table('tables')
    op.drop_index(op.f('ix_devices_venue_id'), table_name='devices')
    op.drop_table('devices')
    op.drop_index('ix_bookings_venue_version', table_name='bookings')
    op.drop_index('ix_bookings_venue_start', table_name='bookings')
    op.drop_index(op.f('ix_bookings_customer_id'), table_name='bookings')
    op.drop_table('bookings')
    op.drop_table('venue_versions')
    op.drop_index('ix_staff_venue_version', table_name='staff')
    op.drop_table('staff')
    op.drop_index(op.f('ix_floor_plans_venue_id'), table_name='floor_plans')
    op.drop_table('floor_plans')
    op.drop_index('ix_customers_venue_version', table_name='customers')
    op.drop_table('customers')
    op.drop_index('ix_combinations_venue_version', table_name='combinations')
    op.drop_table('combinations')
    op.drop_index('ix_areas_venue_version', table_name='areas')
    op.drop_table('areas')
    op.drop_table('venues')
    op.drop_table('login_failures')
    op.execute('DROP SEQUENCE hold_fencing_tokens')
