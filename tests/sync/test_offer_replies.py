"""The waitlist round trip by text: a table comes free, the desk offers it, the server
texts the guest, the guest's "1" seats them, and the desk that made the offer sees it
taken — the offer recorded as accepted, not withdrawn."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from sqlalchemy import select

from app.domain.permissions import Role
from app.services.offer_holds import OfferHolds
from server.db import make_engine, make_sessionmaker
from server.messages.channels import Channels
from server.messages.inbound import receive_sms
from server.messages.log_channel import LogChannel
from server.messages.models import OutboxMessage
from server.messages.sender import Sender
from server.messages.twilio import SmsConfig, TwilioSms
from tests.sms_fake.plugin import *  # noqa: F403
from tests.sync.test_offer_holds import SEVEN, booking, waiting

BEN = "+447911123456"


@pytest.fixture
def sender(sync_db, server_clock, sms_fake):
    engine = make_engine(sync_db, 2)
    config = SmsConfig(
        sms_fake.account_sid, sms_fake.auth_token, sms_fake.from_number, sms_fake.url
    )
    channels = Channels(LogChannel(), TwilioSms(config, httpx.Client(timeout=5)), False, True)
    yield Sender(
        sessions=make_sessionmaker(engine),
        channels=channels,
        clock=server_clock,
        sleep=lambda _seconds: None,
    )
    engine.dispose()


def hold_offers(desk, holds: OfferHolds) -> None:
    """What the window's timer does: hold the tables of the desk's open offers."""
    holds.reconcile(desk.desk.offers.holds_wanted(desk.desk.queries.tonight()))


def outcomes(desk) -> list[tuple[str, str | None]]:
    with sqlite3.connect(desk.path) as db:
        return db.execute(
            "SELECT booking_id, outcome FROM waitlist_offer ORDER BY offered_at, id"
        ).fetchall()


def test_a_guest_who_replies_1_is_seated_on_the_offered_table_and_the_desk_sees_it_accepted(
    desks, server_app, server_clock, sender
):
    reception = desks("Reception")
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "0113 496 0001"))
    ben = reception.desk.create.add_to_waitlist(staff, waiting("Ben Ho", "07911 123456"))
    reception.engine.sync_once()
    reception.desk.lifecycle.cancel(staff, ava.booking.id, "called off")
    reception.engine.sync_once()
    night = reception.desk.queries.tonight()
    [offer] = reception.desk.queries.offers(night)
    hold_offers(reception, OfferHolds(reception.engine.hold_keeper()))
    sender.run(until_idle=True)
    app = server_app.app
    with app.state.sessions() as session:
        texted = session.scalars(select(OutboxMessage.template)).all()
    server_clock.advance(seconds=40)

    # What the inbound webhook does with the guest's "1": keep it, then judge it.
    with app.state.sessions() as session, session.begin():
        received = receive_sms(session, sid="SM1", from_number=BEN, body="1", at=server_clock.now())
        left_to_staff = app.state.reply_judge(session, received.venue_id, received.reply)
    reception.engine.sync_once()
    reception.desk.offers.settle()
    seated = reception.desk.queries.booking(ben.booking.id)

    assert offer.booking.id == ben.booking.id
    assert "offer_made" in texted
    assert received.reply.action.value == "accept_offer"
    assert left_to_staff is None
    assert (seated.booking.status.value, seated.tables) == ("confirmed", "7")
    assert outcomes(reception) == [(ben.booking.id, "accepted")]
    assert reception.desk.queries.offers(night) == []


def test_a_guest_who_replies_9_passes_the_table_to_the_next_guest_who_is_texted_in_turn(
    desks, server_app, server_clock, sender
):
    reception = desks("Reception")
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "0113 496 0001"))
    ben = reception.desk.create.add_to_waitlist(staff, waiting("Ben Ho", "07911 123456"))
    cy = reception.desk.create.add_to_waitlist(staff, waiting("Cy Twombly", "07400 123456"))
    phone = {ben.booking.id: "+447911123456", cy.booking.id: "+447400123456"}
    reception.engine.sync_once()
    reception.desk.lifecycle.cancel(staff, ava.booking.id, "called off")
    reception.engine.sync_once()
    night = reception.desk.queries.tonight()
    [first] = reception.desk.queries.offers(night)
    holds = OfferHolds(reception.engine.hold_keeper())
    hold_offers(reception, holds)
    sender.run(until_idle=True)
    sessions = server_app.app.state.sessions
    server_clock.advance(seconds=30)

    with sessions() as session, session.begin():
        received = receive_sms(
            session,
            sid="SM9",
            from_number=phone[first.booking.id],
            body="9",
            at=server_clock.now(),
        )
    reception.engine.sync_once()
    reception.desk.offers.settle()
    [second] = reception.desk.queries.offers(night)
    reception.engine.sync_once()
    hold_offers(reception, holds)
    with sessions() as session:
        texted = session.execute(
            select(OutboxMessage.recipient, OutboxMessage.template)
            .where(OutboxMessage.template == "offer_made")
            .order_by(OutboxMessage.created_at)
        ).all()

    assert received.reply.action.value == "decline_offer", received.reply.why
    assert {first.booking.id, second.booking.id} == {ben.booking.id, cy.booking.id}
    assert outcomes(reception) == [(first.booking.id, "declined"), (second.booking.id, None)]
    assert texted == [
        (phone[first.booking.id], "offer_made"),
        (phone[second.booking.id], "offer_made"),
    ]


def test_a_guest_who_cancels_by_replying_9_frees_their_table_for_the_waitlist_once(
    desks, server_app, server_clock, sender
):
    """No desk's cancel freed the table, so the desk that took the booking offers it."""
    reception, manager = desks("Reception"), desks("Manager laptop")
    ava = reception.desk.create.create_booking(
        reception.staff(Role.RECEPTION), booking("Ava Wood", "07400 123456")
    )
    reception.engine.sync_once()
    ben = manager.desk.create.add_to_waitlist(
        manager.staff(Role.RECEPTION), waiting("Ben Ho", "07911 123456")
    )
    manager.engine.sync_once()
    sender.run(until_idle=True)
    server_clock.advance(seconds=30)

    sessions = server_app.app.state.sessions
    with sessions() as session, session.begin():
        received = receive_sms(
            session, sid="SMava9", from_number="+447400123456", body="9", at=server_clock.now()
        )
        left_to_staff = server_app.app.state.reply_judge(session, received.venue_id, received.reply)
    for desk in (reception, manager):
        desk.engine.sync_once()
    offered = reception.desk.offers.settle()
    elsewhere = manager.desk.offers.settle()
    night = reception.desk.queries.tonight()

    assert (received.reply.action.value, left_to_staff) == ("cancel", None)
    assert reception.desk.queries.booking(ava.booking.id).booking.status.value == "cancelled"
    [offer] = reception.desk.queries.offers(night)
    assert (offer.booking.id, offer.seating.table_ids, offer.why) == (
        ben.booking.id,
        SEVEN,
        "cancellation",
    )
    assert "offered to Ben Ho" in reception.desk.offers.news(offered)
    assert elsewhere == () and manager.desk.queries.offers(night) == []
    # The desk's timer runs again: the same freed table is not offered a second time.
    assert reception.desk.offers.settle() == ()
    assert len(reception.desk.queries.offers(night)) == 1


def text(app, server_clock, sid: str, number: str, body: str) -> tuple[str, str | None]:
    """The inbound webhook's work on a guest's text: keep it, then judge it. The action
    read from it, and why it was left to staff (None: done)."""
    server_clock.advance(seconds=30)
    with app.state.sessions() as session, session.begin():
        received = receive_sms(
            session, sid=sid, from_number=number, body=body, at=server_clock.now()
        )
        return received.reply.action.value, app.state.reply_judge(
            session, received.venue_id, received.reply
        )


def test_a_guest_who_takes_the_offer_by_text_then_cancels_before_the_desk_pulls_is_offered_on_once(
    desks, server_app, server_clock, sender
):
    """The desk sees the guest cancelled, not seated: the offer was still taken, and the
    table it frees again (inside the stretch it had offered) goes to one guest, not two."""
    reception = desks("Reception")
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "07400 123456"))
    phones = {}
    three = (("Ben Ho", "07911 123456"), ("Cy Twombly", "07400 123457"), ("Dee", "07400 123458"))
    for name, phone in three:
        waits = reception.desk.create.add_to_waitlist(staff, waiting(name, phone))
        phones[waits.booking.id] = "+44" + phone[1:].replace(" ", "")
    reception.engine.sync_once()
    reception.desk.lifecycle.cancel(staff, ava.booking.id, "called off")
    reception.engine.sync_once()
    night = reception.desk.queries.tonight()
    [offer] = reception.desk.queries.offers(night)
    guest = offer.booking.id
    hold_offers(reception, OfferHolds(reception.engine.hold_keeper()))
    sender.run(until_idle=True)
    app = server_app.app

    took = text(app, server_clock, "SM1", phones[guest], "1")
    sender.run(until_idle=True)  # the guest is told their table is theirs
    cancelled = text(app, server_clock, "SM9", phones[guest], "9")
    reception.engine.sync_once()
    reception.desk.offers.settle()
    reception.desk.offers.settle()

    assert (took, cancelled) == (("accept_offer", None), ("cancel", None))
    assert reception.desk.queries.booking(guest).booking.status.value == "cancelled"
    assert (guest, "accepted") in outcomes(reception)
    open_now = reception.desk.queries.offers(night)
    assert len(open_now) == 1 and open_now[0].seating.table_ids == SEVEN
