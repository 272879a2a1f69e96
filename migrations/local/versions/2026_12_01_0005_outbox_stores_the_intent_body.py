"""outbox: each intent stored once as the JSON body that is sent, every time the same

Before, the body was put together from columns and the audit rows at every push.
Now the journal stores the intent's JSON when it is written and the outbox sends
exactly those bytes; the columns the body now carries are dropped. Queued intents
are rewritten into bodies here, as the old code sent them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORED = "%Y-%m-%dT%H:%M:%S.%fZ"
COLUMNS = (
    ('base_version', sa.Integer()),
    ('args', sa.Text()),
    ('previous', sa.Text()),
    ('staff_id', sa.String(36)),
    ('device_time', sa.String(32)),
    ('protocol_version', sa.Integer()),
    ('schema_version', sa.Integer()),
    ('audit_ids', sa.Text()),
)


def _iso(stored: str) -> str:
    return datetime.strptime(stored, STORED).replace(tzinfo=UTC).isoformat()


def _stored(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime(STORED)


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False)


def _event(conn: sa.Connection, event_id: str) -> dict:
    row = conn.execute(
        sa.text(
            'SELECT id, device_id, seq, at, staff_id, staff_name, action, entity, entity_id, '
            'before, after, prev_hash, hash FROM audit_event WHERE id = :id'
        ),
        {'id': event_id},
    ).mappings().one()
    event = dict(row)
    event['at'] = _iso(event['at'])
    for side in ('before', 'after'):
        event[side] = None if event[side] is None else json.loads(event[side])
    return event


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
    device_id = conn.execute(sa.text('SELECT id FROM device')).scalar()
    aliases = dict(conn.execute(sa.text('SELECT old_id, new_id FROM sync_staff_alias')).all())
    rows = conn.execute(
        sa.text(
            'SELECT device_seq, mutation_id, name, entity_id, base_version, args, previous, '
            'staff_id, device_time, protocol_version, schema_version, audit_ids FROM outbox'
        )
    ).mappings().all()
    for r in rows:
        body = {
            'name': r['name'],
            'mutation_id': r['mutation_id'],
            'device_id': device_id,
            'device_seq': r['device_seq'],
            'entity_id': r['entity_id'],
            'base_version': r['base_version'],
            'args': json.loads(r['args']),
            'previous': json.loads(r['previous']),
            'staff_id': aliases.get(r['staff_id'], r['staff_id']),
            'device_time': _iso(r['device_time']),
            'protocol_version': r['protocol_version'],
            'schema_version': r['schema_version'],
            'audit': [_event(conn, e) for e in json.loads(r['audit_ids'])],
        }
        conn.execute(
            sa.text('UPDATE outbox SET body = :body WHERE device_seq = :seq'),
            {'body': _dumps(body), 'seq': r['device_seq']},
        )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=False)
        for name, _type in COLUMNS:
            batch_op.drop_column(name)


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    rows = conn.execute(sa.text('SELECT device_seq, body FROM outbox')).mappings().all()
    for r in rows:
        body = json.loads(r['body'])
        conn.execute(
            sa.text(
                'UPDATE outbox SET base_version = :base, args = :args, previous = :previous, '
                'staff_id = :staff, device_time = :time, protocol_version = :protocol, '
                'schema_version = :schema, audit_ids = :audit WHERE device_seq = :seq'
            ),
            {
                'base': body['base_version'],
                'args': _dumps(body['args']),
                'previous': _dumps(body['previous']),
                'staff': body['staff_id'],
                'time': _stored(body['device_time']),
                'protocol': body['protocol_version'],
                'schema': body['schema_version'],
                'audit': _dumps([e['id'] for e in body['audit']]),
                'seq': r['device_seq'],
            },
        )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.drop_column('body')
