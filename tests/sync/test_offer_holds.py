"""A waitlist offer's table is held on the server, so the other desk steers round it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.sync.holds import HoldKeeper
from tests.sync.world import EVENING, TABLE

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
    keeper = HoldKeeper(reception.engine.api)
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
    holds = OfferHolds(HoldKeeper(reception.engine.api))

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
    holds = OfferHolds(HoldKeeper(reception.engine.api))
    until = server_clock.now() + timedelta(minutes=10)
    end = EVENING + timedelta(hours=2)

    holds.reconcile({"offer": Offered(SEVEN, EVENING, end, ben.booking.id, until)})
    holds.reconcile({"offer": Offered(SEVEN, EVENING, end, ben.booking.id, until)})
    with server_app.app.state.sessions() as session:
        sent = session.execute(
            select(OutboxMessage.channel, OutboxMessage.recipient, OutboxMessage.template)
        ).all()

    assert sent == [("sms", "+447911123456", "offer_made")]
