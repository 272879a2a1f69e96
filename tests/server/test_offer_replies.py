"""A guest's "1" to a waitlist offer seats them on the offered table, judged on the
server while the offer is open and the offering desk still holds the table; otherwise
nothing changes and the reason is given."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from server.messages.offer_replies import accept_offer
from server.sync.models import AuditEvent
from tests.server.harness import EVENING, TABLE, VENUE_ID
from tests.server.test_offer_holds import offer, waitlisted

LATER = EVENING + timedelta(minutes=30)


def answer(server, booking):
    sessions = server.app.state.sessions
    with sessions() as session, session.begin():
        return accept_offer(session, VENUE_ID, booking, server.app.state.clock.now())


def test_a_1_inside_the_offer_seats_the_party_on_the_offered_table_at_the_offered_time(
    server, clock
):
    desk, other = server.desk("Reception"), server.desk("Bar")
    booking = waitlisted(desk)
    held = offer(desk, booking, 7, until=clock.now() + timedelta(minutes=10), start=LATER)
    clock.advance(minutes=1)

    said = answer(server, booking)
    seen = other.bookings()[str(booking)]
    with server.app.state.sessions() as session:
        audited = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == booking)
        ).all()

    assert held.status_code == 201
    assert said.done, said.words
    assert said.words == "The guest took the offer: table 7 from 19:30, confirmed."
    assert (seen["status"], seen["table_ids"], seen["start"]) == (
        "confirmed",
        [str(TABLE[7])],
        LATER.isoformat().replace("+00:00", "Z"),
    )
    assert "accept_offer_by_sms" in audited


def test_a_1_after_the_offer_ended_changes_nothing(server, clock):
    desk = server.desk()
    booking = waitlisted(desk)
    offer(desk, booking, 7, until=clock.now() + timedelta(minutes=1))
    clock.advance(seconds=61)

    said = answer(server, booking)

    assert not said.done
    assert "offer had ended" in said.words
    assert desk.bookings()[str(booking)]["status"] == "waitlisted"


def test_a_1_after_the_offering_desk_stopped_holding_the_table_changes_nothing(server, clock):
    desk = server.desk()
    booking = waitlisted(desk)
    offer(desk, booking, 7, until=clock.now() + timedelta(minutes=10))
    clock.advance(seconds=150)  # the hold lives 120 s unless renewed

    said = answer(server, booking)

    assert not said.done
    assert "stopped holding the table" in said.words
    assert desk.bookings()[str(booking)]["status"] == "waitlisted"


def test_a_1_for_a_table_another_desk_booked_meanwhile_changes_nothing(server, clock):
    desk, offline = server.desk("Reception"), server.desk("Bar")
    booking = waitlisted(desk)
    offer(desk, booking, 7, until=clock.now() + timedelta(minutes=10))
    taken = offline.push_one(offline.create(7, booking_id=uuid.uuid4(), party=2))

    said = answer(server, booking)

    assert taken["outcome"] == "applied"
    assert not said.done
    assert said.words == "Table 7 was taken meanwhile; nothing changed. Call the guest back."
    assert desk.bookings()[str(booking)]["status"] == "waitlisted"
