"""A waitlist offer's table is held on the server, so the other desk steers round it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.domain.waitlist import SkipReason
from app.services.booking_create import NewBooking
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.services.offer_holds import OfferHolds
from tests.sync.world import EVENING, NOW, TABLE, DeskClock

SEVEN = (str(TABLE[7]),)


def booking(name: str, phone: str, *, tables=SEVEN) -> NewBooking:
    return NewBooking(
        name=name, phone=phone, party_size=4, start=EVENING, duration_minutes=120, table_ids=tables
    )


def waiting(name: str, phone: str) -> NewBooking:
    return NewBooking(name=name, phone=phone, party_size=4, start=EVENING, duration_minutes=120)


def test_an_open_offer_holds_its_table_on_the_server_until_the_guest_answers(qtbot, desks):
    from app.views.main_window import MainWindow

    reception, manager = desks("Reception"), desks("Manager laptop")
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "0113 496 0001"))
    ben = reception.desk.create.add_to_waitlist(staff, waiting("Ben Ho", "0113 496 0002"))
    keeper = reception.engine.hold_keeper()
    connected = Desk(reception.store, reception.clock, DeskSync.of_engine(reception.engine, keeper))
    window = MainWindow(connected, staff)
    qtbot.addWidget(window)

    with qtbot.waitSignal(window.ops.changed):
        window.commands.cancel(ava.booking.id, "called off")
    qtbot.waitUntil(lambda: len(keeper.held()) == 1, timeout=5000)
    manager.engine.sync_once()

    with pytest.raises(DomainError, match=r"Table 7 is being booked by .* on Reception"):
        manager.desk.create.create_booking(
            manager.staff(Role.RECEPTION), booking("Grace Hopper", "0113 496 0003")
        )

    [offer] = window.waitlist.offer_rows
    with qtbot.waitSignal(window.ops.changed):
        offer.accept.click()
    qtbot.waitUntil(lambda: keeper.held() == [], timeout=5000)
    promoted = reception.desk.queries.booking(ben.booking.id)
    assert promoted.tables == "7"
    window.ops.stop()


def test_an_offer_hold_lasts_the_guests_stay_from_when_they_would_sit(desks):
    from app.services.offer_holds import Offered, OfferHolds

    reception = desks("Reception")
    holds = OfferHolds(reception.engine.hold_keeper())

    holds.reconcile({"offer": Offered(SEVEN, EVENING, EVENING + timedelta(hours=2))})
    [hold] = holds.held().values()
    holds.reconcile({})

    assert (hold.table_ids, hold.start, hold.end) == (SEVEN, EVENING, EVENING + timedelta(hours=2))
    assert holds.held() == {}


def test_an_offer_held_for_a_waitlisted_guest_is_texted_to_them_once_by_the_server(
    desks, server_app, server_clock
):
    from sqlalchemy import select

    from app.services.offer_holds import Offered, OfferHolds
    from server.messages.models import OutboxMessage

    reception = desks("Reception")
    ben = reception.desk.create.add_to_waitlist(
        reception.staff(Role.RECEPTION), waiting("Ben Ho", "07911 123456")
    )
    reception.engine.sync_once()
    holds = OfferHolds(reception.engine.hold_keeper())
    until = server_clock.now() + timedelta(minutes=10)
    end = EVENING + timedelta(hours=2)

    holds.reconcile({"offer": Offered(SEVEN, EVENING, end, ben.booking.id, until)})
    holds.reconcile({"offer": Offered(SEVEN, EVENING, end, ben.booking.id, until)})
    with server_app.app.state.sessions() as session:
        sent = session.execute(
            select(OutboxMessage.channel, OutboxMessage.recipient, OutboxMessage.template)
        ).all()

    assert sent == [("sms", "+447911123456", "offer_made")]


EIGHT = (str(TABLE[8]),)


def night(d) -> date:
    return d.desk.queries.venue().venue.service_day(EVENING)


def offered(d) -> list[tuple[str, str]]:
    return [(v.customer.name, v.tables) for v in d.desk.offers.offers(night(d))]


def passed_over(d) -> list[tuple[str, str, str]]:
    return [(s.customer_name, s.tables, s.reason) for s in d.desk.offers.fairness_log(night(d))]


def hold(d, holds: OfferHolds) -> None:
    """What the window does on its network worker after every waitlist change."""
    holds.reconcile(d.desk.offers.holds_wanted(night(d)))


@pytest.fixture
def two_tables(desks):
    """Ava on table 7 and Cy on 8 at 20:00; Ben, then Dee, wait for a table; both desks
    have all of it."""
    reception, manager = desks("Reception"), desks("Manager laptop")
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "0113 496 0001"))
    cy = reception.desk.create.create_booking(
        staff, booking("Cy Twombly", "0113 496 0004", tables=EIGHT)
    )
    reception.desk.create.add_to_waitlist(staff, waiting("Ben Ho", "07911 123456"))
    reception.clock.advance(minutes=1)
    reception.desk.create.add_to_waitlist(staff, waiting("Dee Rao", "07911 123457"))
    reception.engine.sync_once()
    manager.engine.sync_once()
    return reception, manager, ava.booking.id, cy.booking.id


def test_a_guest_offered_a_table_on_one_desk_is_not_offered_another_on_the_other(two_tables):
    reception, manager, ava, cy = two_tables
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), ava, "called off")
    reception.engine.sync_once()
    hold(reception, OfferHolds(reception.engine.hold_keeper()))
    manager.engine.sync_once()

    manager.desk.lifecycle.cancel(manager.staff(Role.RECEPTION), cy, "called off")

    assert offered(reception) == [("Ben Ho", "7")]
    assert offered(manager) == [("Dee Rao", "8")]
    assert ("Ben Ho", "8", SkipReason.OFFERED_ELSEWHERE.value) in passed_over(manager)


def test_two_desks_offering_one_guest_at_once_the_server_texts_one_and_the_other_passes_on(
    two_tables, server_app
):
    from sqlalchemy import select

    from server.messages.models import OutboxMessage

    reception, manager, ava, cy = two_tables
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), ava, "called off")
    manager.desk.lifecycle.cancel(manager.staff(Role.RECEPTION), cy, "called off")
    assert offered(reception) == [("Ben Ho", "7")] and offered(manager) == [("Ben Ho", "8")]
    at_reception = OfferHolds(reception.engine.hold_keeper())
    at_manager = OfferHolds(manager.engine.hold_keeper())

    reception.engine.sync_once()
    hold(reception, at_reception)
    manager.engine.push()  # table 8 free on the server; the reception's hold not yet pulled
    hold(manager, at_manager)
    refused = at_manager.held()
    manager.engine.sync_once()
    hidden = offered(manager)  # Ben's offer here, until the panel's timer settles it
    told = manager.desk.offers.news(manager.desk.offers.settle())
    hold(manager, at_manager)

    assert len(at_reception.held()) == 1 and refused == {} and hidden == []
    assert offered(reception) == [("Ben Ho", "7")]
    assert offered(manager) == [("Dee Rao", "8")]
    assert told.startswith(
        "Ben Ho is being offered a table by another desk, so table 8 is no longer held for "
        "them here. Table 8 offered to Dee Rao (party of 4), held until "
    )
    with server_app.app.state.sessions() as session:
        texted = session.scalars(
            select(OutboxMessage.recipient).where(OutboxMessage.template == "offer_made")
        ).all()
    assert sorted(texted) == ["+447911123456", "+447911123457"]


def test_a_table_both_desks_freed_while_apart_is_offered_by_the_desk_that_held_it_first(
    two_tables,
):
    reception, manager, ava, _ = two_tables
    manager.desk.create.add_to_waitlist(
        manager.staff(Role.RECEPTION),
        replace(waiting("Eve Ng", "07911 123999"), occasion="birthday"),
    )
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), ava, "called off")
    manager.desk.lifecycle.cancel(manager.staff(Role.RECEPTION), ava, "called off")
    assert offered(reception) == [("Ben Ho", "7")] and offered(manager) == [("Eve Ng", "7")]

    reception.engine.sync_once()
    hold(reception, OfferHolds(reception.engine.hold_keeper()))
    manager.engine.sync_once()
    hold(manager, OfferHolds(manager.engine.hold_keeper()))
    manager.desk.offers.settle()

    assert offered(reception) == [("Ben Ho", "7")]
    assert offered(manager) == []


def test_a_desk_whose_clock_is_a_day_behind_holds_its_offer_and_texts_the_servers_deadline(
    desks, server_app, server_clock
):
    from sqlalchemy import select

    from server.messages.models import OutboxMessage

    reception = desks("Reception", clock=DeskClock(NOW - timedelta(days=1)))
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "0113 496 0001"))
    reception.desk.create.add_to_waitlist(staff, waiting("Ben Ho", "07911 123456"))
    reception.engine.sync_once()
    reception.desk.lifecycle.cancel(staff, ava.booking.id, "called off")
    reception.engine.sync_once()
    holds = OfferHolds(reception.engine.hold_keeper())

    hold(reception, holds)

    assert len(holds.held()) == 1
    with server_app.app.state.sessions() as session:
        [body] = session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.template == "offer_made")
        ).all()
    deadline = (server_clock.now() + timedelta(minutes=10)).astimezone(ZoneInfo("Europe/London"))
    assert f"Reply 1 by {deadline:%H:%M} to take it" in body
