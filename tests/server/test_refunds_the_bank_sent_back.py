"""A refund the guest's bank sends back days after Stripe made it (a card closed since):
the booking reads "refund failed" with why, the ledger gives the money back to what is
left to refund, and a manager refunds it again — never a silent "refunded" (VENUE.md).
The real server on a loopback socket; the bank's word comes from the Stripe fake as
Stripe sends it (``refund.failed``), read by the reconciliation or sent to the webhook."""

from __future__ import annotations

from app import protocol as p
from app.domain.permissions import Role
from server.payments.reconcile import reconcile
from tests.server.harness import Server
from tests.server.payments_harness import deposit_requests, ledger
from tests.server.test_deposit_guarantee import act, booking, secured
from tests.server.test_payments_after_restore import stripe_env
from tests.server.test_payments_cli import reconcile as reconcile_command

CARD_CLOSED = "The guest's bank sent the £80.00 refund back: the guest's card has expired"


def passes(server: Server):
    return reconcile(server.app.state.sessions, server.app.state.payments)


def refunded(server: Server, stripe_fake):
    """A party's £80.00 paid through its link, refunded in full by a manager at a desk."""
    _desk, booking_id = secured(server, stripe_fake)
    manager = server.desk("Office", Role.MANAGER)
    manager.pull_all()
    done = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=8000, reason="Ill")
    assert done["outcome"] == "applied", done
    [refund] = stripe_fake.client().v1.refunds.list().data
    return manager, booking_id, refund


def moves(desk) -> list[tuple[str, int]]:
    """The ledger's entries after the payment, as (kind, pence)."""
    return [(e["kind"], e["amount_pence"]) for e in ledger(desk) if e["kind"] != "stripe_payment"]


def refunds(manager) -> list[dict]:
    return [r for r in deposit_requests(manager).values() if r["kind"] == "refund"]


def test_a_refund_the_bank_sends_back_reads_failed_with_why_and_is_made_again(paying, stripe_fake):
    manager, booking_id, refund = refunded(paying, stripe_fake)
    manager.pull_all()
    before = booking(manager, booking_id)["deposit_state"]

    stripe_fake.fail_refund(refund.id, "expired_or_canceled_card")
    first, second = passes(paying), passes(paying)
    manager.pull_all()
    failed = booking(manager, booking_id)["deposit_state"]
    [request] = refunds(manager)
    again = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=8000, reason="2nd")
    manager.pull_all()

    assert before == "refunded"
    assert (first.refunds_failed, second.refunds_failed) == (1, 0)
    assert failed == "refund_failed"
    assert request["status"] == "failed"
    assert request["problem"].startswith(CARD_CLOSED)
    assert "refund it again (Refund deposit…)" in request["problem"]
    moves = [
        (e["kind"], e["amount_pence"]) for e in ledger(manager) if e["kind"] != "stripe_payment"
    ]
    assert moves[:2] == [("refund", 8000), ("refund_failed", 8000)]
    assert again["outcome"] == "applied", again
    assert booking(manager, booking_id)["deposit_state"] == "refunded"
    at_stripe = stripe_fake.client().v1.refunds.list().data
    assert sorted(r.status for r in at_stripe) == ["failed", "succeeded"]


def test_a_refund_sent_back_reaches_the_booking_at_once_by_webhook_and_once(paying, stripe_fake):
    manager, booking_id, refund = refunded(paying, stripe_fake)
    stripe_fake.deliver()  # the refund's own events, already recorded

    stripe_fake.fail_refund(refund.id, "lost_or_stolen_card")
    delivered = stripe_fake.deliver()
    manager.pull_all()
    at_once = booking(manager, booking_id)["deposit_state"]
    later = passes(paying)

    assert delivered and all(d["status"] == 200 for d in delivered)
    assert at_once == "refund_failed"
    assert later.refunds_failed == 0
    assert [e["kind"] for e in ledger(manager)].count("refund_failed") == 1
    [request] = refunds(manager)
    assert "reported lost or stolen" in request["problem"]


def test_a_refund_made_in_the_dashboard_that_the_bank_sends_back_reads_failed_too(
    paying, stripe_fake
):
    desk, booking_id = secured(paying, stripe_fake)
    [paid] = [e for e in ledger(desk) if e["kind"] == "stripe_payment"]
    refund = stripe_fake.client().v1.refunds.create(
        params={"payment_intent": paid["provider_ref"], "amount": 3000}
    )
    recorded = passes(paying)

    stripe_fake.fail_refund(refund.id, "declined")
    failed = passes(paying)
    desk.pull_all()

    assert (recorded.outside, failed.refunds_failed) == (1, 1)
    assert booking(desk, booking_id)["deposit_state"] == "refund_failed"
    assert moves(desk) == [("refund", 3000), ("refund_failed", 3000)]


def test_the_reconcile_command_says_a_refund_was_sent_back_and_what_to_do(
    paying, stripe_fake, seeded_url
):
    _manager, _booking_id, refund = refunded(paying, stripe_fake)
    stripe_fake.fail_refund(refund.id, "expired_or_canceled_card")

    said = reconcile_command(seeded_url, **stripe_env(stripe_fake))

    assert said.returncode == 0, said.stderr
    assert '1 refund(s) the guest\'s bank sent back: each booking reads "refund failed"' in (
        said.stdout
    )
    assert "refund it again (Refund deposit…) or give it back another way (Money given back…)." in (
        said.stdout
    )
