"""Marketing consent recorded on one desk reaches the server's history and the other
desk; two desks answering offline converge on the latest answer."""

from __future__ import annotations

from app.domain.consent import Channel
from app.domain.permissions import Role
from tests.sync.test_push_and_pull import book
from tests.sync.world import server_sql


def answers_on(desk, customer_id: str) -> dict[Channel, bool]:
    with desk.store.read() as reader:
        guest = reader.customers.get(customer_id)
    return {r.channel: r.given for r in guest.consent}


def history(sync_db, customer_id: str) -> list[tuple[str, bool, str]]:
    return server_sql(
        sync_db,
        "SELECT channel, given, recorded_by FROM customer_consents WHERE customer_id = %s "
        "ORDER BY at, channel",
        customer_id,
    )


def test_a_yes_by_text_recorded_on_one_desk_reaches_the_server_and_the_other(desks, sync_db):
    reception, manager = desks("Reception"), desks("Manager laptop")
    guest = book(reception, 7).customer.id
    staff = reception.staff(Role.RECEPTION)

    reception.desk.guests.update(staff, guest, marketing={Channel.EMAIL: False, Channel.SMS: True})
    reception.engine.sync_once()
    manager.engine.sync_once()

    assert history(sync_db, guest) == [("sms", True, staff.name)]
    assert answers_on(manager, guest) == {Channel.SMS: True}


def test_a_desk_that_had_not_seen_a_withdrawal_does_not_bring_the_yes_back(desks, sync_db):
    reception, manager = desks("Reception"), desks("Manager laptop")
    guest = book(reception, 7).customer.id
    on_reception, on_manager = reception.staff(Role.RECEPTION), manager.staff(Role.MANAGER)
    reception.desk.guests.update(on_reception, guest, marketing={Channel.SMS: True})
    reception.engine.sync_once()
    manager.engine.sync_once()

    # Both offline: the guest says no to texts at reception, and yes to emails to the
    # manager, who still sees their yes to texts.
    reception.clock.advance(minutes=10)
    reception.desk.guests.update(on_reception, guest, marketing={Channel.SMS: False})
    manager.clock.advance(minutes=5)
    manager.desk.guests.update(
        on_manager, guest, marketing={Channel.EMAIL: True, Channel.SMS: True}
    )
    reception.engine.sync_once()
    manager.engine.sync_once()
    reception.engine.sync_once()

    both = {Channel.EMAIL: True, Channel.SMS: False}
    assert answers_on(reception, guest) == answers_on(manager, guest) == both
    assert history(sync_db, guest) == [
        ("sms", True, on_reception.name),
        ("email", True, on_manager.name),
        ("sms", False, on_reception.name),
    ]
