"""A desk's intents reach the server and the other desks, through the real sync code."""

from __future__ import annotations

from app.domain.booking import BookingStatus
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.sync.status import SyncState
from tests.sync.world import EVENING, TABLE


def book(
    desk,
    table: int,
    *,
    name: str = "Ada Lovelace",
    start=EVENING,
    party: int = 2,
    phone: str = "0113 496 0123",
):
    return desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name=name,
            phone=phone,
            party_size=party,
            start=start,
            duration_minutes=120,
            table_ids=(str(TABLE[table]),),
        ),
    )


def test_a_booking_made_on_one_desk_appears_on_the_other_and_the_outbox_empties(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    made = book(reception, 7)

    first = reception.engine.sync_once()
    manager.engine.sync_once()

    assert first.state is SyncState.UP_TO_DATE and first.pending == 0
    theirs = manager.bookings()[made.booking.id]
    assert theirs["status"] == BookingStatus.CONFIRMED
    assert theirs["table_ids"] == [str(TABLE[7])]
    assert theirs["version"] > 0
    assert reception.bookings()[made.booking.id]["version"] == theirs["version"]


def test_the_first_sync_gives_the_desk_the_servers_staff_ids_and_its_intents_are_accepted(desks):
    desk = desks()
    before = desk.staff(Role.RECEPTION).id
    book(desk, 3)

    status = desk.engine.sync_once()

    assert status.state is SyncState.UP_TO_DATE
    assert desk.staff(Role.RECEPTION).id != before
    assert desk.desk.auth.sign_in("sam", "1111").id == desk.staff(Role.RECEPTION).id


def test_staff_signed_in_before_the_first_sync_have_their_changes_accepted(desks):
    desk = desks()
    sam = desk.desk.auth.sign_in("sam", "1111")
    desk.engine.sync_once()

    made = desk.desk.create.create_booking(
        sam,
        NewBooking(
            name="Ada Lovelace",
            phone="0113 496 0123",
            party_size=2,
            start=EVENING,
            duration_minutes=120,
            table_ids=(str(TABLE[2]),),
        ),
    )
    status = desk.engine.sync_once()

    assert status.state is SyncState.UP_TO_DATE
    assert desk.bookings()[made.booking.id]["version"] > 0
    assert desk.staff(Role.RECEPTION).id != sam.id


def test_many_intents_queued_offline_go_in_several_batches_and_pages_in_order(desks, relay):
    from datetime import timedelta

    from tests.sync.relay import cut

    reception = desks("Reception", batch_size=25, page_size=20)
    manager = desks("Manager laptop", page_size=20)
    relay.fault = cut
    made = [
        book(
            reception,
            table,
            start=EVENING + timedelta(hours=hour) - timedelta(hours=2),
            name=f"Guest {table} {hour}",
            phone=f"0113 496 {table:02d}{hour:02d}",
        )
        for table in (1, 2, 3, 4, 5, 6, 7, 8, 13, 14)
        for hour in (0, 2, 4)
    ]
    for m in made[:10]:
        reception.desk.edits.edit_details(
            reception.staff(Role.RECEPTION), m.booking.id, notes="window seat"
        )
    offline = reception.engine.sync_once()
    relay.fault = None

    done = reception.engine.sync_once()
    manager.engine.sync_once()

    assert offline.pending == 40
    assert done.state is SyncState.UP_TO_DATE and done.pending == 0
    theirs = manager.bookings()
    assert {m.booking.id for m in made} <= set(theirs)
    assert all(theirs[m.booking.id]["notes"] == "window seat" for m in made[:10])
    assert manager.bookings() == reception.bookings()


def test_staff_signed_in_before_the_first_sync_hold_tables_under_the_servers_id(desks):
    desk = desks()
    sam = desk.desk.auth.sign_in("sam", "1111")
    unknown = desk.desk.auth.server_id(sam.id)

    desk.engine.sync_once()

    assert unknown is None
    assert desk.desk.auth.server_id(sam.id) == desk.staff(Role.RECEPTION).id != sam.id
