"""The whole deposit-link round trip with real parts: a desk asks for a link (offline
first), syncs; the real server, with payments set up against the Stripe fake, makes the
Checkout Session; the guest pays through the fake; the webhook lands on the server's
socket; the desk pulls and shows the deposit paid and the booking confirmed."""

from __future__ import annotations

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_links import RequestStatus
from app.domain.permissions import Role
from app.services.deposit_links import OFFLINE_WORDS, ONLINE_WORDS, copyable, open_until
from app.sync.status import SyncState
from tests.sync.relay import cut
from tests.sync.test_deposits_at_the_bar import eight_tonight
from tests.sync.world import SyncDesk, server_sql


def test_a_link_asked_for_offline_is_made_on_reconnect_paid_and_shown_paid_on_the_desk(
    desks, relay, sync_db, stripe_fake
):
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    reception.engine.sync_once()
    relay.fault = cut
    reception.engine.sync_once()
    staff = reception.staff(Role.RECEPTION)

    asked = reception.desk.links.request_link(staff, booking_id)
    relay.fault = None
    reception.engine.sync_once()
    view = reception.desk.queries.booking(booking_id)
    assert view is not None and view.link is not None
    url = copyable(view.link)
    venue = reception.desk.queries.venue().venue
    until = open_until(venue, view.link)
    stripe_fake.pay(url.rsplit("/", 1)[-1])
    delivered = stripe_fake.deliver()
    status = reception.engine.sync_once()

    assert asked.message.endswith(OFFLINE_WORDS)
    assert view.booking.deposit_state is DepositState.REQUESTED
    assert view.link.status is RequestStatus.OPEN and url.startswith(stripe_fake.url)
    assert until == "open until Thu 26 Nov, 15:00", "a day from when the server made it"
    assert stripe_fake.counts()["checkout.session"] == 1
    assert [d["status"] for d in delivered] == [200] * len(delivered) and delivered
    assert status.state is SyncState.UP_TO_DATE
    after = reception.desk.queries.booking(booking_id)
    assert after is not None and after.link is not None
    assert (after.booking.status, after.booking.deposit_state) == (
        BookingStatus.CONFIRMED,
        DepositState.PAID,
    )
    assert after.link.status is RequestStatus.PAID
    assert server_sql(
        sync_db, "SELECT status, deposit_state FROM bookings WHERE id = %s", booking_id
    ) == [("confirmed", "paid")]


def test_a_desk_that_is_online_says_the_link_is_on_its_way(desks, relay):
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    reception.engine.sync_once()

    asked = reception.desk.links.request_link(reception.staff(Role.RECEPTION), booking_id)

    assert asked.message.endswith(ONLINE_WORDS)
