"""Double bookings made offline: kept on both sides, shown on every desk, resolved once."""

from __future__ import annotations

from app.domain.booking import BookingStatus
from app.domain.permissions import Role
from app.protocol import Resolution
from app.services.conflicts import ConflictInbox
from app.sync.status import SyncState
from tests.sync.relay import cut
from tests.sync.test_push_and_pull import book


def test_two_desks_booking_one_table_offline_both_keep_the_booking_and_see_one_conflict(
    desks, relay
):
    reception, manager = desks("Reception"), desks("Manager laptop")
    relay.fault = cut
    ours = book(reception, 7, name="Ada Lovelace")
    theirs = book(manager, 7, name="Grace Hopper")
    offline = reception.engine.sync_once()
    relay.fault = None

    reception.engine.sync_once()
    manager.engine.sync_once()
    reception.engine.sync_once()

    assert offline.state is SyncState.OFFLINE and offline.pending == 1
    for desk in (reception, manager):
        bookings = desk.bookings()
        assert bookings[ours.booking.id]["status"] == BookingStatus.CONFIRMED
        assert bookings[theirs.booking.id]["status"] == BookingStatus.CONFLICT
        inbox = ConflictInbox(desk.store, desk.clock).open()
        assert len(inbox) == 1
        assert inbox[0].ours.guest == "Grace Hopper"
        assert inbox[0].theirs.guest == "Ada Lovelace"
        assert "keep both (manager)" in inbox[0].resolutions
        assert desk.engine.monitor.status.state is SyncState.NEEDS_ATTENTION
        assert desk.engine.monitor.status.open_conflicts == 1


def test_resolving_a_conflict_on_one_desk_clears_it_on_the_other(desks, relay):
    reception, manager = desks("Reception"), desks("Manager laptop")
    relay.fault = cut
    book(reception, 7)
    theirs = book(manager, 7, name="Grace Hopper")
    relay.fault = None
    for desk in (reception, manager, reception):
        desk.engine.sync_once()
    inbox = ConflictInbox(reception.store, reception.clock)
    [conflict] = inbox.open()

    words = inbox.resolve(reception.staff(Role.RECEPTION), conflict.id, Resolution.WAITLIST)
    shown_at_once = reception.bookings()[theirs.booking.id]["status"]
    reception.engine.sync_once()
    final = manager.engine.sync_once()

    assert words.startswith("Waitlist ours")
    assert shown_at_once == BookingStatus.WAITLISTED
    assert ConflictInbox(manager.store, manager.clock).open() == []
    assert manager.bookings()[theirs.booking.id]["status"] == BookingStatus.WAITLISTED
    assert final.state is SyncState.UP_TO_DATE and final.open_conflicts == 0


def test_a_connected_desk_says_connecting_until_it_has_tried_and_offline_only_when_it_is(
    desks, relay
):
    reception = desks("Reception")
    before = reception.engine.monitor.status
    relay.fault = cut
    cut_off = reception.engine.sync_once()
    relay.fault = None
    back = reception.engine.sync_once()

    assert before.state is SyncState.CONNECTING
    assert cut_off.state is SyncState.OFFLINE and "cannot be reached" in cut_off.detail
    assert back.state is SyncState.UP_TO_DATE
