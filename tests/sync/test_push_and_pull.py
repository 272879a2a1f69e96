"""A desk's intents reach the server and the other desks, through the real sync code."""

from __future__ import annotations

from app.domain.booking import BookingStatus
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.sync.status import SyncState
from tests.sync.world import EVENING, TABLE


def book(desk, table: int, *, name: str = "Ada Lovelace", start=EVENING, party: int = 2):
    return desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name=name,
            phone="0113 496 0123",
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
