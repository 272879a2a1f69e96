"""The waitlist round trip by text: a table comes free, the desk offers it, the server
texts the guest, the guest's "1" seats them, and the desk that made the offer sees it
taken — the offer recorded as accepted, not withdrawn."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from sqlalchemy import select

from app.domain.permissions import Role
from app.services.offer_holds import Offered, OfferHolds
from app.sync.holds import HoldKeeper
from server.messages.models import OutboxMessage
from server.messages.offer_replies import accept_offer
from tests.sync.test_offer_holds import booking, waiting
from tests.sync.world import VENUE_ID


def test_a_guest_who_replies_1_is_seated_on_the_offered_table_and_the_desk_sees_it_accepted(
    desks, server_app, server_clock
):
    reception = desks("Reception")
    staff = reception.staff(Role.RECEPTION)
    ava = reception.desk.create.create_booking(staff, booking("Ava Wood", "0113 496 0001"))
    ben = reception.desk.create.add_to_waitlist(staff, waiting("Ben Ho", "07911 123456"))
    reception.engine.sync_once()
    reception.desk.lifecycle.cancel(staff, ava.booking.id, "called off")
    night = reception.desk.queries.tonight()
    [offer] = reception.desk.queries.offers(night)
    holds = OfferHolds(HoldKeeper(reception.engine.api))
    reception.engine.sync_once()
    holds.reconcile(
        {
            "offer": Offered(
                offer.seating.table_ids,
                offer.begins,
                offer.begins + timedelta(minutes=offer.booking.duration_minutes),
                offer.booking.id,
                offer.expires_at,
            )
        }
    )
    sessions = server_app.app.state.sessions
    with sessions() as session:
        texted = session.scalars(select(OutboxMessage.template)).all()

    with sessions() as session, session.begin():
        said = accept_offer(session, VENUE_ID, ben.booking.id, server_clock.now())
    reception.engine.sync_once()
    reception.desk.offers.settle()
    seated = reception.desk.queries.booking(ben.booking.id)
    with sqlite3.connect(reception.path) as db:
        outcomes = db.execute("SELECT booking_id, outcome FROM waitlist_offer").fetchall()

    assert offer.booking.id == ben.booking.id
    assert texted == ["offer_made"]
    assert said.done, said.words
    assert (seated.booking.status.value, seated.tables) == ("confirmed", "7")
    assert outcomes == [(ben.booking.id, "accepted")]
    assert reception.desk.queries.offers(night) == []
