"""A manager's claim on a no-show's card hold and refund of a deposit paid online, from the
desk: the question shows the amount and the card, the intent is judged and carried out by
the real server at the Stripe fake, and the desk pulls the result (offline first too)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.booking import DepositState
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.errors import DomainError, PermissionDenied
from app.domain.permissions import Role
from app.services.deposit_ledger import DepositLedger
from app.sync.status import SyncState
from server.db import make_engine, make_sessionmaker
from tests.server.payments_harness import collect
from tests.sync.relay import cut
from tests.sync.test_deposits_at_the_bar import eight_tonight
from tests.sync.world import EVENING, NOW, SyncDesk, server_sql


def guarantee(database_url: str) -> None:
    """The venue secures deposits on the guest's card instead of taking them now."""
    engine = make_engine(database_url, 1)
    try:
        collect(make_sessionmaker(engine), "guarantee", NOW)
    finally:
        engine.dispose()


def completed(desk: SyncDesk, stripe_fake, booking_id: str) -> None:
    """Reception sends the link; the guest completes it; the desk syncs."""
    desk.desk.links.request_link(desk.staff(Role.RECEPTION), booking_id)
    desk.engine.sync_once()
    view = desk.desk.queries.booking(booking_id)
    assert view is not None and view.link is not None and view.link.url
    stripe_fake.pay(view.link.url.rsplit("/", 1)[-1])
    stripe_fake.deliver()
    desk.engine.sync_once()


def ledger_kinds(desk: SyncDesk) -> list[tuple[LedgerKind, int]]:
    night = desk.desk.queries.venue().venue.service_day(EVENING)
    return [
        (x.entry.kind, x.entry.amount_pence) for x in DepositLedger(desk.store).night(night).lines
    ]


def test_a_manager_claims_a_no_shows_hold_after_confirming_amount_and_card(
    desks, relay, sync_db, stripe_fake, server_clock
):
    guarantee(sync_db)
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    completed(reception, stripe_fake, booking_id)
    held = reception.desk.queries.booking(booking_id)
    manager = reception.staff(Role.MANAGER)
    # A party is a no-show only once its time has come: a quarter of an hour after it, on
    # every clock (the desk's, the server's and the Stripe fake's).
    reception.clock.now = server_clock.at = EVENING + timedelta(minutes=15)
    stripe_fake.set_now(int(server_clock.at.timestamp()))
    reception.desk.lifecycle.no_show(manager, booking_id)

    offer = reception.desk.deposit_actions.claim_offer(manager, booking_id)
    question = offer.question(offer.most_pence)
    asked = reception.desk.deposit_actions.claim(manager, booking_id, offer.most_pence)
    status = reception.engine.sync_once()

    assert held is not None and held.link is not None
    assert held.booking.deposit_state is DepositState.HELD
    assert (held.link.status, held.link.card_last4) == (RequestStatus.HELD, "4242")
    assert offer.most_pence == 8000
    assert question.startswith("Capture £80.00 from the hold on the card ending 4242")
    assert "is asked for" in asked.message
    assert status.state is SyncState.UP_TO_DATE
    after = reception.desk.queries.booking(booking_id)
    assert after is not None and after.booking.deposit_state is DepositState.CLAIMED
    # Both at the server's one fixed instant: compared without their order.
    assert sorted(ledger_kinds(reception)) == [(LedgerKind.CAPTURE, 8000), (LedgerKind.HOLD, 8000)]
    assert server_sql(sync_db, "SELECT deposit_state FROM bookings WHERE id = %s", booking_id) == [
        ("claimed",)
    ]


def test_a_refund_asked_offline_is_made_on_reconnect(desks, relay, sync_db, stripe_fake):
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    completed(reception, stripe_fake, booking_id)
    manager = reception.staff(Role.MANAGER)
    relay.fault = cut
    reception.engine.sync_once()

    offer = reception.desk.deposit_actions.refund_offer(manager, booking_id)
    asked = reception.desk.deposit_actions.refund(manager, booking_id, 2500, "Birthday cake free")
    relay.fault = None
    reception.engine.sync_once()

    assert offer.most_pence == 8000
    assert offer.question(2500).startswith("Refund £25.00 of booking")
    assert asked.message.endswith("It is made at Stripe when this desk is back online.")
    after = reception.desk.queries.booking(booking_id)
    assert after is not None and after.booking.deposit_state is DepositState.REFUNDED
    assert (LedgerKind.REFUND, 2500) in ledger_kinds(reception)
    assert reception.desk.deposit_actions.refund_offer(manager, booking_id).most_pence == 5500
    assert server_sql(sync_db, "SELECT amount_pence FROM deposit_ledger WHERE kind = 'refund'") == [
        (2500,)
    ]


def test_a_claim_on_a_cancellation_in_good_time_is_refused_before_its_question(
    desks, relay, sync_db, stripe_fake
):
    guarantee(sync_db)
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception, days_ahead=10)  # its card saved, not held
    completed(reception, stripe_fake, booking_id)
    manager = reception.staff(Role.MANAGER)
    reception.desk.lifecycle.cancel(manager, booking_id, "Guest called")
    saved = reception.desk.queries.booking(booking_id)

    with pytest.raises(DomainError, match="it was cancelled in good time"):
        reception.desk.deposit_actions.claim_offer(manager, booking_id)
    assert saved is not None and saved.booking.deposit_state is DepositState.CARD_SAVED


def test_reception_is_refused_a_claim_and_a_refund_on_the_desk(desks, relay, stripe_fake):
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    completed(reception, stripe_fake, booking_id)
    staff = reception.staff(Role.RECEPTION)

    with pytest.raises(PermissionDenied, match="claim a no-show's deposit"):
        reception.desk.deposit_actions.claim_offer(staff, booking_id)
    with pytest.raises(PermissionDenied, match="refund a deposit"):
        reception.desk.deposit_actions.refund(staff, booking_id, 8000, "no")
    assert reception.engine.sync_once().pending == 0


def test_a_refund_above_what_was_taken_is_refused_on_the_desk_and_nothing_is_queued(
    desks, relay, stripe_fake
):
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    completed(reception, stripe_fake, booking_id)
    manager = reception.staff(Role.MANAGER)

    with pytest.raises(DomainError, match=r"£90\.00 is more than the £80\.00 that can be refunded"):
        reception.desk.deposit_actions.refund(manager, booking_id, 9000, "Too much")
    assert reception.engine.sync_once().pending == 0
