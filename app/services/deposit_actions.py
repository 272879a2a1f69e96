"""A manager claims a no-show's deposit or refunds one taken online, online or queued.

The desk journals the intent through its one meaning (app.domain.kernel.claim_asked,
refund_asked), so it refuses here what the server would and writes nothing then; the
server carries it out at Stripe and the desk pulls the result (docs/payments.md).
``offer`` gives what the confirmation shows first: the amount and the card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.domain.booking import DepositState
from app.domain.deposit_actions import (
    claim_question,
    refund_question,
    refundable_pence,
)
from app.domain.deposit_ledger import CURRENCY
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.permissions import Action, Staff
from app.domain.references import format_reference
from app.models.uow import Store
from app.protocol import IntentName
from app.protocol.deposit_args import ClaimDepositArgs, RefundDepositArgs
from app.services.common import (
    BookingResult,
    Clock,
    booking_after,
    get_booking,
    journal_one,
    wire,
)

OFFLINE = "It is made at Stripe when this desk is back online."
ONLINE = "Stripe makes it now; the result shows here after the next sync."


@dataclass(frozen=True, slots=True)
class Offer:
    """What a claim or refund would be: the most it may be, and the question to confirm."""

    booking_id: str
    most_pence: int
    question: Callable[[int], str]


class DepositActions:
    def __init__(self, store: Store, clock: Clock, online: Callable[[], bool]) -> None:
        self.store = store
        self.clock = clock
        self.online = online

    def claim_offer(self, staff: Staff, booking_id: str) -> Offer:
        """A no-show's or late cancellation's claim: at most the deposit, from the card it
        is secured on. A claim the kernel would refuse (a cancellation in good time, no
        card to claim on) is refused here, before its question is asked."""
        staff.require(Action.CLAIM_DEPOSIT)
        with self.store.read() as r:
            b = get_booking(r, booking_id)
            link = r.links.latest([booking_id]).get(booking_id)
            whole = wire(ClaimDepositArgs, amount_pence=b.deposit_pence, currency=CURRENCY)
            booking_after(r, r.venue.get(), staff, self.clock(), b, whole)
        last4 = link.card_last4 if link else None
        hold = b.deposit_state is DepositState.HELD
        ref = format_reference(b.reference)
        return Offer(b.id, b.deposit_pence, lambda pence: claim_question(pence, ref, last4, hold))

    def refund_offer(self, staff: Staff, booking_id: str) -> Offer:
        """A refund: at most what Stripe took and has not given back."""
        staff.require(Action.REFUND_DEPOSIT)
        with self.store.read() as r:
            b = get_booking(r, booking_id)
            most = refundable_pence(r.ledger.of_bookings([booking_id]))
            link = r.links.latest([booking_id]).get(booking_id)
        if most <= 0:
            raise DomainError(
                f"Nothing of booking {format_reference(b.reference)}'s deposit was taken "
                "online that is not refunded already; money paid at the bar is given back "
                "at the bar."
            )
        last4 = link.card_last4 if link else None
        ref = format_reference(b.reference)
        return Offer(b.id, most, lambda pence: refund_question(pence, ref, last4))

    def claim(self, staff: Staff, booking_id: str, amount_pence: int) -> BookingResult:
        args = wire(ClaimDepositArgs, amount_pence=amount_pence, currency=CURRENCY)
        return self._journal(staff, booking_id, IntentName.CLAIM_DEPOSIT, args, "A claim of")

    def refund(
        self, staff: Staff, booking_id: str, amount_pence: int, reason: str
    ) -> BookingResult:
        if not reason.strip():
            raise DomainError("Say why the deposit is refunded.")
        args = wire(
            RefundDepositArgs, amount_pence=amount_pence, currency=CURRENCY, reason=reason.strip()
        )
        return self._journal(staff, booking_id, IntentName.REFUND_DEPOSIT, args, "A refund of")

    def _journal(
        self,
        staff: Staff,
        booking_id: str,
        intent: IntentName,
        args: ClaimDepositArgs | RefundDepositArgs,
        what: str,
    ) -> BookingResult:
        after, customer, _ = journal_one(self.store, self.clock(), staff, booking_id, intent, args)
        when = ONLINE if self.online() else OFFLINE
        message = (
            f"{what} {format_pence(args.amount_pence)} on {customer.name}'s deposit "
            f"(booking {format_reference(after.reference)}) is asked for. {when}"
        )
        return BookingResult(after, customer, message)
