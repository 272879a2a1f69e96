"""A cancellation by the venue's policy: inside the free-cancellation window (48 hours
before the start by default) a hold is released and money paid online refunded in full,
at Stripe, once; after it the venue keeps the deposit, and a manager may claim a hold."""

from __future__ import annotations

import uuid
from datetime import timedelta

from app import protocol as p
from app.domain.permissions import Role
from tests.server.harness import EVENING, Server
from tests.server.payments_harness import collect, ledger, request_link
from tests.server.test_deposit_guarantee import act, actions, booking


def linked(server: Server, stripe_fake, *, days_ahead: int, collection: str):
    """A party of 8 whose guest completed the link; the desk and the booking."""
    collect(server.app.state.sessions, collection, server.app.state.clock.now())
    desk = server.desk()
    create = desk.create(15, 16, party=8, start=EVENING + timedelta(days=days_ahead))
    assert desk.push_one(create)["outcome"] == "applied"
    booking_id = uuid.UUID(create["entity_id"])
    desk.push_one(request_link(desk, booking_id))
    [link] = [c["data"] for c in desk.pull_all()[0] if c["entity"] == "deposit_request"]
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.deliver()
    desk.pull_all()
    return desk, booking_id


def cancel(desk, booking_id: uuid.UUID) -> dict:
    return act(desk, p.IntentName.CANCEL, booking_id, reason="Guest rang")


def test_a_hold_cancelled_three_days_ahead_is_released_at_stripe(paying, stripe_fake):
    desk, booking_id = linked(paying, stripe_fake, days_ahead=3, collection="guarantee")

    outcome = cancel(desk, booking_id)

    assert outcome["outcome"] == "applied"
    [release] = actions(desk)
    assert (release["kind"], release["status"], release["amount_pence"]) == (
        "release",
        "done",
        8000,
    )
    row = booking(desk, booking_id)
    assert (row["status"], row["deposit_state"]) == ("cancelled", "released")
    hold = next(e for e in ledger(desk) if e["kind"] == "hold")
    intent = stripe_fake.client().v1.payment_intents.retrieve(hold["provider_ref"])
    assert (intent.status, intent.amount_received) == ("canceled", 0)
    assert [e["kind"] for e in ledger(desk)].count("release") == 1


def test_a_deposit_paid_online_and_cancelled_in_good_time_is_refunded_in_full(paying, stripe_fake):
    desk, booking_id = linked(paying, stripe_fake, days_ahead=3, collection="deposit_now")

    cancel(desk, booking_id)

    [refund] = actions(desk)
    assert (refund["kind"], refund["status"], refund["amount_pence"]) == ("refund", "done", 8000)
    assert booking(desk, booking_id)["deposit_state"] == "refunded"
    paid = next(e for e in ledger(desk) if e["kind"] == "stripe_payment")
    at_stripe = stripe_fake.client().v1.refunds.list(
        params={"payment_intent": paid["provider_ref"]}
    )
    assert [r.amount for r in at_stripe.data] == [8000]


def test_a_late_cancellation_keeps_the_hold_and_a_manager_may_claim_it(paying, stripe_fake):
    desk, booking_id = linked(paying, stripe_fake, days_ahead=0, collection="guarantee")

    cancel(desk, booking_id)
    kept = booking(desk, booking_id)["deposit_state"]
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    claim = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    assert kept == "held"
    assert claim["outcome"] == "applied"
    assert booking(manager, booking_id)["deposit_state"] == "claimed"
    assert [a["kind"] for a in actions(manager)] == ["claim"]


def test_a_hold_released_in_good_time_cannot_be_claimed(paying, stripe_fake):
    desk, booking_id = linked(paying, stripe_fake, days_ahead=3, collection="guarantee")
    cancel(desk, booking_id)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    before = stripe_fake.calls()["requests"]

    claim = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    assert claim["outcome"] == "rejected"
    assert "cannot be claimed" in claim["reason"]
    assert stripe_fake.calls()["requests"] == before


def test_a_replayed_cancel_releases_once(paying, stripe_fake):
    desk, booking_id = linked(paying, stripe_fake, days_ahead=3, collection="guarantee")
    version = booking(desk, booking_id)["version"]
    body = desk.intent(p.IntentName.CANCEL, booking_id, {"reason": "x"}, base_version=version)

    first, again = desk.push_one(body), desk.push_one(body)

    assert first == again
    assert [a["kind"] for a in actions(desk)] == ["release"]


def free_window(server: Server, hours: int) -> None:
    """An admin changes the venue's free-cancellation window: a new policy version."""
    from sqlalchemy import select

    from app.domain.deposit_policy_data import deposit_policy_to_dict
    from server.venues.models import Venue
    from server.venues.policy import current_policy, set_policy

    now = server.app.state.clock.now()
    with server.app.state.sessions() as session, session.begin():
        for venue_id in session.scalars(select(Venue.id)):
            data = deposit_policy_to_dict(current_policy(session, venue_id))
            data = {k: v for k, v in data.items() if k != "version"}
            set_policy(
                session, venue_id, data | {"free_cancellation_hours": hours}, set_by="test", now=now
            )


def test_a_booking_keeps_the_notice_it_was_priced_under_when_the_venue_relaxes_it(
    paying, stripe_fake
):
    # Priced when a free cancellation needed 48 hours' notice; the venue then asks only
    # 24. Cancelled 30 hours ahead: late by the booking's terms, so nothing is refunded.
    desk, booking_id = linked(paying, stripe_fake, days_ahead=3, collection="deposit_now")
    free_window(paying, 24)
    paying.app.state.clock.advance(hours=46)  # now 30 hours before the start

    cancel(desk, booking_id)

    assert actions(desk) == []
    assert booking(desk, booking_id)["deposit_state"] == "paid"


def test_a_booking_keeps_the_notice_it_was_priced_under_when_the_venue_tightens_it(
    paying, stripe_fake
):
    # Priced when 24 hours' notice was enough; the venue then asks a week. Cancelled 52
    # hours ahead: in good time by the booking's terms, so refunded in full.
    free_window(paying, 24)
    desk, booking_id = linked(paying, stripe_fake, days_ahead=3, collection="deposit_now")
    free_window(paying, 24 * 7)
    paying.app.state.clock.advance(hours=24)  # now 52 hours before the start

    cancel(desk, booking_id)

    [refund] = actions(desk)
    assert (refund["kind"], refund["status"], refund["amount_pence"]) == ("refund", "done", 8000)
