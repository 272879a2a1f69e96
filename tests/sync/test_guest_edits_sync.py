"""A guest's corrected name, phone and email reach the server and the other desks."""

from __future__ import annotations

from app.domain.permissions import Role
from app.sync.status import SyncState
from tests.sync.test_push_and_pull import book
from tests.sync.world import server_sql


def guest_on(desk, customer_id: str):
    with desk.store.read() as reader:
        return reader.customers.get(customer_id)


def test_a_corrected_guest_reaches_the_server_and_the_other_desk(desks, sync_db):
    reception, manager = desks("Reception"), desks("Manager laptop")
    made = book(reception, 7, name="Ada Lovelac")
    reception.engine.sync_once()
    guest = made.customer.id

    reception.desk.guests.update(
        reception.staff(Role.RECEPTION),
        guest,
        name="Ada Lovelace",
        phone="0113 496 0777",
        email="ada@example.com",
    )
    status = reception.engine.sync_once()
    manager.engine.sync_once()

    assert status.state is SyncState.UP_TO_DATE and status.pending == 0
    [(name, phone, email)] = server_sql(
        sync_db, "SELECT name, phone, email FROM customers WHERE id = %s", guest
    )
    assert (name, phone, email) == ("Ada Lovelace", "+441134960777", "ada@example.com")
    theirs = guest_on(manager, guest)
    assert (theirs.name, theirs.phone, theirs.email) == (name, phone, email)
    assert theirs.bookings_count == 1


def test_a_correction_made_on_the_other_desk_after_a_pull_reaches_both(desks, sync_db):
    reception, manager = desks("Reception"), desks("Manager laptop")
    made = book(reception, 3)
    reception.engine.sync_once()
    manager.engine.sync_once()
    guest = made.customer.id
    reception.desk.guests.update(reception.staff(Role.RECEPTION), guest, name="Ada King")
    reception.engine.sync_once()
    manager.engine.sync_once()

    manager.desk.guests.update(manager.staff(Role.MANAGER), guest, email="ada@example.org")
    manager.engine.sync_once()
    reception.engine.sync_once()

    [(name, email)] = server_sql(sync_db, "SELECT name, email FROM customers WHERE id = %s", guest)
    assert (name, email) == ("Ada King", "ada@example.org")
    mine = guest_on(reception, guest)
    assert (mine.name, mine.email) == ("Ada King", "ada@example.org")
    assert reception.pending() == 0 and manager.pending() == 0
