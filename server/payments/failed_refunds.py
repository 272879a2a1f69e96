"""Refunds the guest's bank sent back, shown on their bookings — never silently.

Stripe answers a card refund at once (succeeded, or pending) and the server records it
then: the deposit reads refunded, the guest is told. Days later the guest's bank may
still send it back — the card was closed, or reported lost — and Stripe marks the refund
failed, puts the money back in the venue's balance and says so only in a
``refund.failed`` event. VENUE.md: a failed refund must never pass silently. So that
event (by webhook, or the reconciliation's reading of Stripe's events:
server.payments.outside) fails the request that recorded the refund, with why in words
for the manager; the booking's deposit reads "refund failed"; and a ``refund_failed``
ledger entry undoes the refund's amount, so what is left to refund is the money Stripe
holds again: a manager refunds it again from the desk, or gives it back another way.
The entry is named by the request, so the failure is recorded once whoever reads it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import kernel
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposits import format_pence
from server.payments.gateway import MoneyMove
from server.payments.models import DepositRequest
from server.payments.settle import ledger_entry, locked_booking, stamp
from server.sync import store

# Stripe's ``failure_reason`` for a refund, in words for the manager.
_WHY = {
    "expired_or_canceled_card": "the guest's card has expired or was cancelled",
    "lost_or_stolen_card": "the guest's card was reported lost or stolen",
    "declined": "the guest's bank declined it",
    "charge_for_pending_refund_disputed": "the guest disputed the payment meanwhile",
    "insufficient_funds": "the venue's Stripe balance could not cover it",
    "merchant_request": "it was cancelled at Stripe",
    "unknown": "Stripe gave no reason",
}


def record_failed(session: Session, move: MoneyMove, now: datetime) -> int:
    """Record that the refund ``move`` names was sent back; 1 if recorded now, 0 if it is
    no refund recorded here (yet) or was recorded failed already."""
    refund = session.scalars(
        select(DepositRequest).where(
            DepositRequest.kind == ActionKind.REFUND.value,
            DepositRequest.provider_ref == move.ref,
        )
    ).first()
    if refund is None:
        return 0
    row = locked_booking(session, refund.booking_id)
    session.refresh(refund, with_for_update=True)
    if refund.status != RequestStatus.DONE.value:
        return 0
    amount = format_pence(refund.amount_pence)
    why = _WHY.get(move.failed or "unknown", f"Stripe's reason: {move.failed}")
    entry = ledger_entry(
        session, refund, f"refund_failed:{refund.id}", LedgerKind.REFUND_FAILED,
        refund.amount_pence, f"Refund sent back by the bank: {why}", move.ref, now,
    )  # fmt: skip
    refund.status = RequestStatus.FAILED.value
    refund.problem = (
        f"The guest's bank sent the {amount} refund back: {why}. The money is back in the "
        "venue's Stripe balance: refund it again (Refund deposit…), or give it back "
        "another way and record it (Money given back…)."
    )
    after = kernel.refund_failed(store.booking(row), at=now)
    store.write_booking(row, after)
    stamp(session, refund.venue_id, now, [refund, row, *entry])
    return 1
