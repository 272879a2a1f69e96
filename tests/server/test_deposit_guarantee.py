"""Card holds and saved cards (a venue that secures deposits instead of taking them),
and a manager's claim on a no-show and refund — through the real SDK, against the
Stripe fake as a real process, on a real server over HTTP."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from app import protocol as p
from app.domain.permissions import Role
from server.payments.reconcile import reconcile
from tests.server.harness import EVENING, NOW, Server
from tests.server.payments_harness import (
    collect,
    deposit_requests,
    ledger,
    request_link,
)

AUTHENTICATION_REQUIRED = "4000002760003184"  # pays with the guest there, refuses off-session


def guarantee(server: Server) -> None:
    """The venue secures deposits on the guest's card (hold, or saved card far ahead)."""
    collect(server.app.state.sessions, "guarantee", server.app.state.clock.now())


def secured(server: Server, stripe_fake, *, days_ahead: int = 0, card: str = "4242424242424242"):
    """A party of 8 whose guest completed the link; returns the desk and booking."""
    desk = server.desk()
    create = desk.create(15, 16, party=8, start=EVENING + timedelta(days=days_ahead))
    assert desk.push_one(create)["outcome"] == "applied"
    booking_id = uuid.UUID(create["entity_id"])
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1], card=card)
    stripe_fake.deliver()
    return desk, booking_id


def booking(desk, booking_id: uuid.UUID) -> dict:
    return desk.bookings()[str(booking_id)]


def no_show(server: Server, booking_id: uuid.UUID, stripe_fake):
    manager = server.desk("Office", Role.MANAGER)
    manager.pull_all()
    row = booking(manager, booking_id)
    version = row["version"]
    # A party is a no-show only once its time has come: a quarter of an hour after it, on
    # the server's clock and the fake's.
    clock = server.app.state.clock
    clock.at = max(clock.at, datetime.fromisoformat(row["start"]) + timedelta(minutes=15))
    stripe_fake.set_now(int(clock.at.timestamp()))
    outcome = manager.push_one(
        manager.intent(
            p.IntentName.SET_STATUS, booking_id, {"status": "no_show"}, base_version=version
        )
    )
    assert outcome["outcome"] == "applied", outcome
    return manager


def act(desk, name: p.IntentName, booking_id: uuid.UUID, **args) -> dict:
    version = booking(desk, booking_id)["version"]
    return desk.push_one(desk.intent(name, booking_id, args, base_version=version))


def actions(desk) -> list[dict]:
    return [r for r in deposit_requests(desk).values() if r["kind"] != "link"]


def test_a_booking_tonight_is_held_on_the_card_and_confirmed(paying, stripe_fake):
    guarantee(paying)
    desk, booking_id = secured(paying, stripe_fake)

    [link] = deposit_requests(desk).values()
    assert (link["mode"], link["status"], link["card_last4"]) == ("hold", "held", "4242")
    assert link["capture_before"] == (NOW + timedelta(days=7)).isoformat().replace("+00:00", "Z")
    row = booking(desk, booking_id)
    assert (row["deposit_state"], row["status"]) == ("held", "confirmed")
    [entry] = ledger(desk)
    assert (entry["kind"], entry["amount_pence"]) == ("hold", 8000)
    # Authorised, not taken: Stripe holds the money until a claim.
    intent = stripe_fake.client().v1.payment_intents.retrieve(entry["provider_ref"])
    assert (intent.status, intent.amount_received) == ("requires_capture", 0)


def test_a_booking_ten_days_ahead_saves_the_card_instead(paying, stripe_fake):
    guarantee(paying)
    desk, booking_id = secured(paying, stripe_fake, days_ahead=10)

    [link] = deposit_requests(desk).values()
    assert (link["mode"], link["status"], link["card_last4"]) == ("save_card", "card_saved", "4242")
    assert booking(desk, booking_id)["deposit_state"] == "card_saved"
    assert ledger(desk) == []
    assert stripe_fake.counts().get("payment_intent", 0) == 0


def test_a_manager_claims_part_of_a_no_shows_hold_and_stripe_captures_that_much(
    paying, stripe_fake
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake)
    manager = no_show(paying, booking_id, stripe_fake)

    outcome = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=5000)

    assert outcome["outcome"] == "applied"
    [claim] = actions(manager)
    assert (claim["kind"], claim["status"], claim["amount_pence"]) == ("claim", "done", 5000)
    assert booking(manager, booking_id)["deposit_state"] == "claimed"
    capture = [e for e in ledger(manager) if e["kind"] == "capture"]
    assert [(e["amount_pence"], e["staff_name"]) for e in capture] == [(5000, "Manager Person")]
    hold = next(e for e in ledger(manager) if e["kind"] == "hold")
    intent = stripe_fake.client().v1.payment_intents.retrieve(hold["provider_ref"])
    assert (intent.status, intent.amount_received) == ("succeeded", 5000)


def test_a_claim_on_a_saved_card_charges_it_off_session(paying, stripe_fake):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake, days_ahead=10)
    manager = no_show(paying, booking_id, stripe_fake)

    act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    [claim] = actions(manager)
    assert claim["status"] == "done"
    assert booking(manager, booking_id)["deposit_state"] == "claimed"
    [capture] = ledger(manager)
    charged = stripe_fake.client().v1.payment_intents.retrieve(capture["provider_ref"])
    assert (charged.status, charged.amount_received, charged.currency) == ("succeeded", 8000, "gbp")


def test_a_bank_that_wants_the_guest_to_authenticate_fails_the_claim_and_says_so(
    paying, stripe_fake
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake, days_ahead=10, card=AUTHENTICATION_REQUIRED)
    manager = no_show(paying, booking_id, stripe_fake)

    act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    [claim] = actions(manager)
    assert claim["status"] == "failed"
    assert "authentication_required" in claim["problem"]
    assert "nothing was charged" in claim["problem"]
    assert booking(manager, booking_id)["deposit_state"] == "card_saved"
    assert ledger(manager) == []


def test_a_replayed_claim_and_a_crash_before_its_answer_was_written_capture_once(
    paying, stripe_fake
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake, days_ahead=10)
    manager = no_show(paying, booking_id, stripe_fake)
    version = booking(manager, booking_id)["version"]
    claim = manager.intent(
        p.IntentName.CLAIM_DEPOSIT, booking_id, {"amount_pence": 8000}, base_version=version
    )

    first = manager.push_one(claim)
    again = manager.push_one(claim)
    # As if the server died after Stripe charged and before it wrote so (the request,
    # the booking and the ledger entry are written in one transaction): the
    # reconciliation asks again, with the same idempotency key.
    with paying.app.state.sessions() as session, session.begin():
        session.execute(
            text("UPDATE deposit_requests SET status = 'requested' WHERE kind = 'claim'")
        )
        session.execute(text("UPDATE bookings SET deposit_state = 'card_saved'"))
        session.execute(text("DELETE FROM deposit_ledger WHERE kind = 'capture'"))
    reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert first == again
    # One off-session charge at Stripe; the second ask was answered from its first.
    assert stripe_fake.counts()["payment_intent"] == 1
    assert stripe_fake.calls()["replays"] >= 1
    assert [e["amount_pence"] for e in ledger(manager) if e["kind"] == "capture"] == [8000]
    [claim_row] = actions(manager)
    assert claim_row["status"] == "done"


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        (8001, "GBP", "capped at the deposit"),
        (0, "GBP", "more than £0.00"),
        (-500, "GBP", "more than £0.00"),
        (8000, "EUR", "pounds sterling"),
    ],
)
def test_a_bad_claim_is_refused_and_nothing_is_asked_of_stripe(
    paying, stripe_fake, amount, currency, words
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake)
    manager = no_show(paying, booking_id, stripe_fake)
    before = stripe_fake.calls()

    outcome = act(
        manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=amount, currency=currency
    )

    assert outcome["outcome"] == "rejected" and words in outcome["reason"]
    assert actions(manager) == []
    assert booking(manager, booking_id)["deposit_state"] == "held"
    assert stripe_fake.calls()["requests"] == before["requests"]


def test_a_claim_on_a_party_that_came_is_refused(paying, stripe_fake):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()

    outcome = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    assert outcome["outcome"] == "rejected"
    assert "only a no-show's or a late cancellation's can" in outcome["reason"]
    assert booking(manager, booking_id)["deposit_state"] == "held"


def test_a_no_show_before_the_partys_time_is_refused_and_so_is_a_claim_after_it(
    paying, stripe_fake
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake, days_ahead=10)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()

    early = act(manager, p.IntentName.SET_STATUS, booking_id, status="no_show")
    claim = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)
    manager.pull_all()

    assert early["outcome"] == "rejected"
    assert "a party can be marked a no-show only once its time has come" in early["reason"]
    assert claim["outcome"] == "rejected"
    row = booking(manager, booking_id)
    assert (row["status"], row["deposit_state"]) == ("confirmed", "card_saved")
    assert actions(manager) == []
    assert stripe_fake.counts().get("payment_intent", 0) == 0


def test_reception_may_not_claim_or_refund(paying, stripe_fake):
    guarantee(paying)
    desk, booking_id = secured(paying, stripe_fake)
    no_show(paying, booking_id, stripe_fake)
    desk.pull_all()

    claim = act(desk, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)
    refund = act(desk, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=8000, reason="x")

    assert claim["outcome"] == "rejected" and "claim a no-show's deposit" in claim["reason"]
    assert refund["outcome"] == "rejected" and "refund a deposit" in refund["reason"]
    assert actions(desk) == []


def test_a_deposit_paid_online_is_refunded_in_part_then_the_rest_and_no_more(paying, stripe_fake):
    desk, booking_id = secured(paying, stripe_fake)  # the venue takes deposits now
    assert booking(desk, booking_id)["deposit_state"] == "paid"
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()

    first = act(
        manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=3000, reason="Goodwill"
    )
    too_much = act(
        manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=6000, reason="More"
    )
    rest = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=5000, reason="Rest")

    assert (first["outcome"], rest["outcome"]) == ("applied", "applied")
    assert too_much["outcome"] == "rejected"
    assert "£60.00 is more than the £50.00 that can be refunded" in too_much["reason"]
    refunds = [e for e in ledger(manager) if e["kind"] == "refund"]
    assert sorted(e["amount_pence"] for e in refunds) == [3000, 5000]
    assert booking(manager, booking_id)["deposit_state"] == "refunded"
    paid = next(e for e in ledger(manager) if e["kind"] == "stripe_payment")
    at_stripe = stripe_fake.client().v1.refunds.list(
        params={"payment_intent": paid["provider_ref"]}
    )
    assert sorted(r.amount for r in at_stripe.data) == [3000, 5000]


def test_a_link_paid_after_its_booking_was_cancelled_is_refunded_by_a_manager(paying, stripe_fake):
    desk = paying.desk()
    create = desk.create(15, 16, party=8)
    desk.push_one(create)
    booking_id = uuid.UUID(create["entity_id"])
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    cancelled = act(desk, p.IntentName.CANCEL, booking_id, reason="guest called")
    # The guest pays the link they were sent before anyone could close it.
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.deliver()
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    kept = (booking(manager, booking_id)["deposit_state"], deposit_requests(manager)[link["id"]])

    refund = act(
        manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=8000, reason="Cancelled"
    )

    assert cancelled["outcome"] == "applied"
    assert kept[0] == "requested" and "should refund the guest" in kept[1]["problem"]
    assert refund["outcome"] == "applied", refund["reason"]
    assert booking(manager, booking_id)["deposit_state"] == "refunded"
    paid = next(e for e in ledger(manager) if e["kind"] == "stripe_payment")
    at_stripe = stripe_fake.client().v1.refunds.list(
        params={"payment_intent": paid["provider_ref"]}
    )
    assert [r.amount for r in at_stripe.data] == [8000]


def test_a_claim_on_a_hold_past_its_day_is_refused_before_the_lapse_is_recorded(
    paying, stripe_fake
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake)  # £80.00 held tonight
    manager = no_show(paying, booking_id, stripe_fake)
    clock = paying.app.state.clock
    clock.at = NOW + timedelta(days=7, hours=1)  # no reconciliation pass since
    stripe_fake.set_now(int(clock.at.timestamp()))

    claim = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    assert claim["outcome"] == "rejected", claim
    assert "card hold has lapsed at the bank (a hold lasts 7 days)" in claim["reason"]
    assert actions(manager) == []  # no claim written, so nothing asked of Stripe


def test_a_hold_not_claimed_within_seven_days_lapses_and_the_booking_reads_released(
    paying, stripe_fake
):
    from tests.server.test_claims_and_refunds_after_restore import office

    guarantee(paying)
    desk, booking_id = secured(paying, stripe_fake)  # £80.00 held tonight
    clock = paying.app.state.clock

    def days_on(days: float) -> None:
        clock.at = NOW + timedelta(days=days)
        stripe_fake.set_now(int(clock.at.timestamp()))

    days_on(6.9)
    early = reconcile(paying.app.state.sessions, paying.app.state.payments)
    held = booking(desk, booking_id)["deposit_state"]
    days_on(7.1)
    lapsed = reconcile(paying.app.state.sessions, paying.app.state.payments)
    again = reconcile(paying.app.state.sessions, paying.app.state.payments)
    manager = office(paying)
    # The party never came; the manager marks it and claims a week on: too late.
    gone = act(manager, p.IntentName.SET_STATUS, booking_id, status="no_show")
    claim = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)

    assert (early.lapsed, held) == (0, "held")
    assert (lapsed.lapsed, again.lapsed) == (1, 0)
    assert booking(manager, booking_id)["deposit_state"] == "released"
    hold = next(e for e in ledger(manager) if e["kind"] == "hold")
    [release] = [e for e in ledger(manager) if e["kind"] == "release"]
    assert (release["amount_pence"], release["provider_ref"]) == (8000, hold["provider_ref"])
    [request] = actions(manager)
    assert (request["kind"], request["status"]) == ("release", "done")
    assert request["reason"] == "Hold lapsed at the bank: not claimed within 7 days"
    assert gone["outcome"] == "applied", gone
    assert claim["outcome"] == "rejected"
    assert "(its deposit is released)" in claim["reason"]
