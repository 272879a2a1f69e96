"""Deposit money a manager gives back outside Stripe — a bank transfer for a refund the
guest's bank sent back, cash at the bar — recorded with ``give_back_deposit``: the deposit
reads refunded, the ledger says how, and neither Stripe nor a second record can give the
same money back again. The real server on a loopback socket, the Stripe fake behind it."""

from __future__ import annotations

import uuid

from app import protocol as p
from app.domain.permissions import Role
from tests.server.payments_harness import ledger
from tests.server.test_deposit_guarantee import act, booking, secured
from tests.server.test_refunds_the_bank_sent_back import moves, passes, refunded


def give_back(desk, booking_id, pence: int, method: str = "bank_transfer") -> dict:
    return act(
        desk,
        p.IntentName.GIVE_BACK_DEPOSIT,
        booking_id,
        entry_id=str(uuid.uuid4()),
        amount_pence=pence,
        method=method,
        reason="Refund sent back: paid by bank transfer",
    )


def test_a_refund_the_bank_sent_back_given_back_by_transfer_reads_refunded_for_good(
    paying, stripe_fake
):
    manager, booking_id, refund = refunded(paying, stripe_fake)
    stripe_fake.fail_refund(refund.id, "expired_or_canceled_card")
    passes(paying)
    manager.pull_all()

    given = give_back(manager, booking_id, 8000)
    manager.pull_all()
    again = act(manager, p.IntentName.REFUND_DEPOSIT, booking_id, amount_pence=8000, reason="x")
    twice = give_back(manager, booking_id, 8000)

    assert given["outcome"] == "applied", given
    assert booking(manager, booking_id)["deposit_state"] == "refunded"
    assert moves(manager) == [("refund", 8000), ("refund_failed", 8000), ("given_back", 8000)]
    [entry] = [e for e in ledger(manager) if e["kind"] == "given_back"]
    assert (entry["method"], entry["staff_name"]) == ("bank_transfer", manager.staff.name)
    # Given back once: Stripe is not asked to refund it again, nor can it be recorded twice.
    assert again["outcome"] == "rejected"
    assert "not refunded already" in again["reason"]
    assert twice["outcome"] == "rejected"
    assert "holds none of booking" in twice["reason"]
    assert len(stripe_fake.client().v1.refunds.list().data) == 1


def test_more_than_the_venue_holds_is_refused_and_nothing_is_written(paying, stripe_fake):
    _desk, booking_id = secured(paying, stripe_fake)
    manager = paying.desk("Office", Role.MANAGER)
    manager.pull_all()

    too_much = give_back(manager, booking_id, 9000, method="cash")
    manager.pull_all()

    assert too_much["outcome"] == "rejected"
    assert "£90.00 is more than the £80.00" in too_much["reason"]
    assert booking(manager, booking_id)["deposit_state"] == "paid"
    assert moves(manager) == []


def test_reception_cannot_record_money_given_back(paying, stripe_fake):
    desk, booking_id = secured(paying, stripe_fake)  # a reception desk

    refused = give_back(desk, booking_id, 8000, method="cash")

    assert refused["outcome"] == "rejected"
    assert "refund a deposit" in refused["reason"]
