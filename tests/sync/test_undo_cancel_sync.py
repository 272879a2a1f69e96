"""Undoing a cancel against the real server: the booking back everywhere, or refused
(with the reason in the refusals inbox) when its table was booked or it changed since."""

from __future__ import annotations

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Role
from tests.sync.test_push_and_pull import book
from tests.sync.world import TABLE, server_sql


def server_booking(sync_db, booking_id):
    [(status, tables)] = server_sql(
        sync_db, "SELECT status, table_ids FROM bookings WHERE id = %s", booking_id
    )
    return status, [str(t) for t in tables]


def outcome(desk, name):
    import sqlite3

    with sqlite3.connect(desk.path) as conn:
        return conn.execute(
            "SELECT outcome, reason FROM sync_outcome WHERE name = ? ORDER BY device_seq DESC",
            (name,),
        ).fetchone()


@pytest.mark.parametrize("synced_between", [False, True])
def test_a_cancel_and_its_undo_reach_the_server_and_the_other_desk_sees_the_booking_back(
    desks, sync_db, synced_between
):
    reception, manager = desks("Reception"), desks("Manager laptop")
    ada = book(reception, 7).booking
    reception.engine.sync_once()
    staff = reception.staff(Role.RECEPTION)
    reception.desk.lifecycle.cancel(staff, ada.id, "guest cancelled")
    if synced_between:
        reception.engine.sync_once()
        manager.engine.sync_once()
        cancelled_there = manager.bookings()[ada.id]["status"]

    reception.desk.lifecycle.undo_cancel(staff, ada.id)
    reception.engine.sync_once()
    manager.engine.sync_once()

    assert outcome(reception, "undo_cancel") == ("applied", None)
    assert server_booking(sync_db, ada.id) == ("confirmed", [str(TABLE[7])])
    there = manager.bookings()[ada.id]
    assert (there["status"], there["table_ids"]) == ("confirmed", [str(TABLE[7])])
    assert reception.bookings()[ada.id] == there
    if synced_between:
        assert cancelled_there == "cancelled"


def test_an_undo_after_another_desk_booked_the_freed_table_is_refused_and_shown(desks, sync_db):
    reception, manager = desks("Reception"), desks("Manager laptop")
    ada = book(reception, 7).booking
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), ada.id)
    reception.engine.sync_once()
    manager.engine.sync_once()
    grace = book(manager, 7, name="Grace Hopper", phone="0113 496 0456").booking
    manager.engine.sync_once()

    # Reception has not heard of Grace yet: its desk lets the undo go; the server refuses.
    reception.desk.lifecycle.undo_cancel(reception.staff(Role.RECEPTION), ada.id)
    reception.engine.sync_once()

    assert server_booking(sync_db, ada.id)[0] == "cancelled"
    assert server_booking(sync_db, grace.id) == ("confirmed", [str(TABLE[7])])
    assert reception.bookings()[ada.id]["status"] == "cancelled"
    [refusal] = reception.desk.refusals.unacknowledged()
    assert refusal.what.startswith("Undo of the cancellation of booking ")
    assert refusal.what.endswith("(Ada Lovelace)")
    assert "was not put back: Table 7 is already taken" in refusal.reason
    assert "It stays cancelled" in refusal.reason
    assert refusal.booking_id == ada.id
    assert refusal.retry_blocked is not None and "make the booking again" in (refusal.retry_blocked)


def test_a_desk_that_knows_the_table_was_booked_refuses_the_undo_itself(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    ada = book(reception, 7).booking
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), ada.id)
    reception.engine.sync_once()
    manager.engine.sync_once()
    book(manager, 7, name="Grace Hopper", phone="0113 496 0456")
    manager.engine.sync_once()
    reception.engine.sync_once()
    sent = reception.pending()

    with pytest.raises(DomainError, match="booked since by Grace Hopper"):
        reception.desk.lifecycle.undo_cancel(reception.staff(Role.RECEPTION), ada.id)

    assert reception.pending() == sent == 0


def test_an_undo_of_a_booking_moved_on_another_desk_before_the_cancel_landed_is_refused(
    desks, sync_db
):
    reception, manager = desks("Reception"), desks("Manager laptop")
    ada = book(reception, 7).booking
    reception.engine.sync_once()
    manager.engine.sync_once()
    manager.desk.edits.move(manager.staff(Role.RECEPTION), ada.id, (str(TABLE[6]),))
    manager.engine.sync_once()
    staff = reception.staff(Role.RECEPTION)
    reception.desk.lifecycle.cancel(staff, ada.id)
    reception.desk.lifecycle.undo_cancel(staff, ada.id)

    reception.engine.sync_once()

    assert outcome(reception, "cancel")[0] in ("applied", "merged")
    undone, reason = outcome(reception, "undo_cancel")
    assert undone == "rejected" and "changed since it was cancelled" in reason
    assert server_booking(sync_db, ada.id) == ("cancelled", [str(TABLE[6])])
    assert reception.bookings()[ada.id]["status"] == "cancelled"
