"""A pull tells the desk how far its clock is from the server's, and which of its audit
events the server holds (the anchor `audit verify` checks the desk's copy against)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.domain.audit import event_hash
from app.models.audit_check import check_audit
from app.models.tables import AuditEventRow, DeviceRow
from tests.sync.test_push_and_pull import book
from tests.sync.world import NOW, DeskClock

AUDIT_FIELDS = [
    "id",
    "device_id",
    "seq",
    "at",
    "staff_id",
    "staff_name",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
]


def test_a_desk_whose_clock_is_ten_minutes_slow_learns_it_on_its_next_sync(desks):
    slow = desks("Slow desk", clock=DeskClock(NOW - timedelta(minutes=10)))
    right = desks("Right desk")

    slow_status, right_status = slow.engine.sync_once(), right.engine.sync_once()

    assert slow_status.clock_offset == timedelta(minutes=10)
    assert right_status.clock_offset == timedelta(0)


def test_after_a_sync_the_desk_keeps_the_head_of_its_audit_chain_the_server_accepted(desks):
    desk = desks()
    book(desk, 7)

    desk.engine.sync_once()

    with desk.store.read() as reader:
        device = reader.session.scalars(select(DeviceRow)).one()
        last = reader.session.scalars(
            select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(1)
        ).one()
        assert device.server_audit_seq == last.seq == device.last_audit_seq
        assert device.server_audit_hash == last.hash


def test_a_chain_rewritten_consistently_after_syncing_is_caught_by_the_servers_anchor(desks):
    desk = desks()
    book(desk, 7)
    desk.engine.sync_once()
    with desk.store.read() as reader:
        assert check_audit(reader.session).intact

    # Someone with the file rewrites the last event and recomputes its hash and the head:
    # the chain alone still verifies.
    with desk.store.unit_of_work() as uow:
        s = uow.session
        row = s.scalars(select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(1)).one()
        row.after = {**(row.after or {}), "party_size": 9}
        row.hash = event_hash({c: getattr(row, c) for c in AUDIT_FIELDS})
        s.scalars(select(DeviceRow)).one().last_audit_hash = row.hash
        seq, event_id = row.seq, row.id
        uow.commit()

    with desk.store.read() as reader:
        report = check_audit(reader.session)
    assert report.problems == [
        f"this desk's audit event #{seq} ({event_id}) differs from the copy the server "
        "accepted: the chain was rewritten on this desk after it synced"
    ]
