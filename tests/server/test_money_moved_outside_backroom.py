"""Refunds, claims and releases a manager made in Stripe's Dashboard instead of at the
desk are recorded on their bookings by the reconciliation: the deposit reads as Stripe
has it, the ledger names Stripe's object, and nothing can be given back or claimed a
second time. The real server on a loopback socket; the Dashboard's calls are made with
the real SDK straight to the Stripe fake, carrying none of our ids, as the Dashboard's do."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text

from app import protocol as p
from app.domain.permissions import Role
from server.payments.outside import moved_outside
from server.payments.reconcile import reconcile
from tests.server.harness import Server
from tests.server.payments_harness import deposit_requests, ledger
from tests.server.test_deposit_guarantee import act, booking, guarantee, no_show, secured
from tests.server.test_deposit_links import eight_tonight
from tests.server.test_payments_after_restore import (
    entered_again,
    paid_through_a_link,
    stripe_env,
)
from tests.server.test_payments_cli import reconcile as reconcile_command
from tests.stripe_fake.helpers import card

OUTSIDE = "Stripe (outside Backroom)"
DASHBOARD_REFUND = "made at Stripe, not through Backroom (its Dashboard)"


def passes(server: Server):
    return reconcile(server.app.state.sessions, server.app.state.payments)


def paid_online(desk, booking_id: uuid.UUID, kind: str = "stripe_payment") -> str:
    """The PaymentIntent that took (or holds) the booking's deposit, as its ledger names it."""
    [entry] = [e for e in ledger(desk) if e["kind"] == kind and e["booking_id"] == str(booking_id)]
    return entry["provider_ref"]


def outside_requests(desk) -> list[dict]:
    return [r for r in deposit_requests(desk).values() if r["requested_by"] == OUTSIDE]


def test_a_refund_made_in_the_dashboard_is_recorded_once_and_limits_what_is_left(
    paying, stripe_fake
):
    desk, booking_id = secured(paying, stripe_fake)  # £80.00 paid through its link
    dashboard = stripe_fake.client()
    intent = paid_online(desk, booking_id)
    refund = dashboard.v1.refunds.create(params={"payment_intent": intent, "amount": 3000})
    # A payment of the venue's that is not a booking's (its online shop, say), refunded too.
    other = dashboard.v1.payment_intents.create(
        params={"amount": 1500, "currency": "gbp", "confirm": True,
                "payment_method": card(dashboard, "4242424242424242").id}
    )  # fmt: skip
    dashboard.v1.refunds.create(params={"payment_intent": other.id})

    first, second = passes(paying), passes(paying)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    too_much = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=8000, reason="x")
    the_rest = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=5000, reason="y")
    passes(paying)

    assert (first.outside, second.outside, first.unreachable) == (1, 0, [])
    given_back = [e for e in ledger(manager) if e["kind"] == "refund"]
    assert given_back[0]["amount_pence"] == 3000
    assert given_back[0]["provider_ref"] == refund.id
    [recorded] = outside_requests(manager)
    assert (recorded["kind"], recorded["status"]) == ("refund", "done")
    assert (recorded["amount_pence"], recorded["reason"]) == (3000, DASHBOARD_REFUND)
    assert too_much["outcome"] == "rejected", too_much
    assert the_rest["outcome"] == "applied", the_rest
    assert [e["amount_pence"] for e in given_back] == [3000, 5000]
    assert booking(manager, booking_id)["deposit_state"] == "refunded"
    at_stripe = dashboard.v1.refunds.list(params={"payment_intent": intent}).data
    assert sorted(r.amount for r in at_stripe) == [3000, 5000]


def test_the_reconcile_command_says_what_it_recorded_from_the_dashboard(
    paying, stripe_fake, seeded_url
):
    desk, booking_id = secured(paying, stripe_fake)
    stripe_fake.client().v1.refunds.create(params={"payment_intent": paid_online(desk, booking_id)})

    first = reconcile_command(seeded_url, **stripe_env(stripe_fake))
    second = reconcile_command(seeded_url, **stripe_env(stripe_fake))

    assert first.returncode == 0, first.stderr
    said = "1 refund(s), claim(s) or release(s) made at Stripe outside Backroom (its Dashboard)"
    assert f"{said} recorded on their bookings." in first.stdout
    assert second.returncode == 0, second.stderr
    assert "outside Backroom" not in second.stdout


def test_a_hold_captured_in_the_dashboard_reads_claimed_and_is_not_claimed_again(
    paying, stripe_fake
):
    guarantee(paying)
    desk, booking_id = secured(paying, stripe_fake)  # £80.00 held on the card tonight
    dashboard = stripe_fake.client()
    intent = paid_online(desk, booking_id, kind="hold")
    manager = no_show(paying, booking_id, stripe_fake)
    dashboard.v1.payment_intents.capture(intent, params={"amount_to_capture": 6000})

    done = passes(paying)
    claim = act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)
    passes(paying)

    assert done.outside == 1
    assert booking(manager, booking_id)["deposit_state"] == "claimed"
    [captured] = [e for e in ledger(manager) if e["kind"] == "capture"]
    assert (captured["amount_pence"], captured["provider_ref"]) == (6000, intent)
    assert claim["outcome"] == "rejected", claim
    assert dashboard.v1.payment_intents.retrieve(intent).amount_received == 6000


def test_a_hold_let_go_in_the_dashboard_reads_released(paying, stripe_fake):
    guarantee(paying)
    desk, booking_id = secured(paying, stripe_fake)
    intent = paid_online(desk, booking_id, kind="hold")
    stripe_fake.client().v1.payment_intents.cancel(intent)

    done, again = passes(paying), passes(paying)
    desk.pull_all()

    assert (done.outside, again.outside) == (1, 0)
    assert booking(desk, booking_id)["deposit_state"] == "released"
    [release] = [e for e in ledger(desk) if e["kind"] == "release"]
    assert (release["amount_pence"], release["provider_ref"]) == (8000, intent)
    [recorded] = outside_requests(desk)
    assert recorded["reason"] == "Hold released at Stripe, not through Backroom (its Dashboard)"


def test_a_refund_the_server_made_is_not_recorded_a_second_time(paying, stripe_fake):
    _desk, booking_id = secured(paying, stripe_fake)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    refund = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=2000, reason="Late")

    first, second = passes(paying), passes(paying)
    manager.pull_all()

    assert refund["outcome"] == "applied", refund
    assert (first.outside, second.outside) == (0, 0)
    assert [e["amount_pence"] for e in ledger(manager) if e["kind"] == "refund"] == [2000]
    assert outside_requests(manager) == []


def test_a_hold_the_server_released_is_not_recorded_a_second_time(paying, stripe_fake):
    guarantee(paying)
    # Held three days ahead: cancelled inside the free-cancellation window, it is let go.
    _desk, booking_id = secured(paying, stripe_fake, days_ahead=3)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    cancel = act(manager, p.IntentName.CANCEL, booking_id, reason="Guest rang")

    first, second = passes(paying), passes(paying)
    manager.pull_all()

    assert cancel["outcome"] == "applied", cancel
    assert booking(manager, booking_id)["deposit_state"] == "released"
    assert (first.outside, second.outside) == (0, 0)
    assert [e["amount_pence"] for e in ledger(manager) if e["kind"] == "release"] == [8000]
    assert outside_requests(manager) == []


def test_a_release_whose_answer_the_server_has_not_written_yet_is_left_to_its_request(
    paying, stripe_fake
):
    guarantee(paying)
    _desk, booking_id = secured(paying, stripe_fake, days_ahead=3)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()
    act(manager, p.IntentName.CANCEL, booking_id, reason="Guest rang")
    # As if the server died after Stripe let the hold go and before it wrote so (the
    # request, the booking and the ledger entry are written in one transaction): a
    # release carries no ids of its own, so Stripe's event alone cannot tell it is ours.
    with paying.app.state.sessions() as session, session.begin():
        session.execute(
            text(
                "UPDATE deposit_requests SET status = 'requested', provider_ref = NULL "
                "WHERE kind = 'release'"
            )
        )
        session.execute(text("UPDATE bookings SET deposit_state = 'held'"))
        session.execute(text("DELETE FROM deposit_ledger WHERE kind = 'release'"))

    early = moved_outside(paying.app.state.sessions, paying.app.state.payments).recorded
    done = passes(paying)
    manager.pull_all()

    assert (early, done.outside) == (0, 0)
    assert [e["amount_pence"] for e in ledger(manager) if e["kind"] == "release"] == [8000]
    [release] = [r for r in deposit_requests(manager).values() if r["kind"] == "release"]
    assert release["status"] == "done"
    assert outside_requests(manager) == []


def test_a_dashboard_refund_stripe_sends_to_the_webhook_is_recorded_at_once(paying, stripe_fake):
    desk, booking_id = secured(paying, stripe_fake)
    intent = paid_online(desk, booking_id)
    stripe_fake.client().v1.refunds.create(params={"payment_intent": intent})

    delivered = stripe_fake.deliver()
    desk.pull_all()
    at_once = booking(desk, booking_id)["deposit_state"]
    again = stripe_fake.deliver([d["event"] for d in delivered]) if delivered else []
    later = passes(paying)
    desk.pull_all()

    assert delivered and all(d["status"] == 200 for d in delivered + again)
    assert at_once == "refunded"
    assert later.outside == 0  # the pass reads the same event: recorded once
    assert [e["amount_pence"] for e in ledger(desk) if e["kind"] == "refund"] == [8000]
    assert len(outside_requests(desk)) == 1


def test_a_dashboard_refund_of_a_payment_a_restore_lost_is_recorded_once_it_is_back(
    paying, stripe_fake, restores
):
    clock = paying.app.state.clock

    def later(minutes: int) -> None:
        clock.at += timedelta(minutes=minutes)
        stripe_fake.set_now(int(clock.at.timestamp()))

    desk = paying.desk()
    restores.take()
    booking_id = eight_tonight(desk)
    paid_through_a_link(desk, stripe_fake, booking_id)  # after the backup: lost with it
    intent = paid_online(desk, booking_id)
    refund = stripe_fake.client().v1.refunds.create(
        params={"payment_intent": intent, "amount": 3000}
    )
    later(30)
    restores.put_back()
    door = paying.desk("Door")

    first = passes(paying)  # the payment waits for its booking; so does its refund
    later(60)  # staff enter the booking again an hour later
    entered_again(door, booking_id)
    second = passes(paying)
    door.pull_all()

    assert (first.found, first.outside) == (1, 0)
    assert (second.taken_back, second.outside) == (1, 1)
    assert door.bookings()[str(booking_id)]["deposit_state"] == "refunded"
    [given] = [e for e in ledger(door) if e["kind"] == "refund"]
    assert (given["amount_pence"], given["provider_ref"]) == (3000, refund.id)
