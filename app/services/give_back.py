"""A manager records deposit money given back outside Stripe: cash or the card machine at
the bar, or a bank transfer — a refund Stripe cannot make (money paid at the bar), or one
the guest's bank sent back (docs/payments.md, "Money given back another way").

Journalled like a deposit paid at the bar, offline too: the intent through its one
meaning (``kernel.given_back``: at most what the venue holds of the booking's money) and
its ledger entry, unsent until the server accepts it; nothing is written on a refusal.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.domain.deposit_actions import check_held
from app.domain.deposit_ledger import (
    CURRENCY,
    LedgerEntry,
    LedgerKind,
    PaymentMethod,
    held_pence,
)
from app.domain.deposit_words import owed_back
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.permissions import Action, Staff
from app.domain.references import format_reference
from app.models.uow import Store
from app.protocol import IntentName
from app.protocol.deposit_args import GiveBackDepositArgs
from app.services.common import (
    BookingResult,
    Clock,
    booking_after,
    get_booking,
    get_customer,
    save_and_journal,
    wire,
)


@dataclass(frozen=True, slots=True)
class GiveBackOffer:
    """What may be recorded given back: at most ``most_pence`` (what the venue holds);
    ``suggested_pence``: what the booking holds beyond what it may keep, if anything, else
    all it holds."""

    booking_id: str
    reference: str
    guest: str
    most_pence: int
    suggested_pence: int

    def question(self, pence: int, method: PaymentMethod) -> str:
        """What staff confirm before it is recorded."""
        return (
            f"Record that {format_pence(pence)} of booking {self.reference}'s deposit was "
            f"given back to {self.guest} by {method.words}?"
        )


class GivingBack:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def offer(self, staff: Staff, booking_id: str) -> GiveBackOffer:
        staff.require(Action.REFUND_DEPOSIT)
        with self.store.read() as r:
            b = get_booking(r, booking_id)
            entries = r.ledger.of_bookings([booking_id])
            guest = get_customer(r, b.customer_id).name
        held = held_pence(entries)
        check_held(b, held)
        back = owed_back(b, entries)
        ref = format_reference(b.reference)
        return GiveBackOffer(b.id, ref, guest, held, min(back, held) if back > 0 else held)

    def give_back(
        self,
        staff: Staff,
        booking_id: str,
        amount_pence: int,
        method: PaymentMethod,
        reason: str,
    ) -> BookingResult:
        if not reason.strip():
            raise DomainError("Say why the money is given back.")
        entry_id = str(uuid.uuid4())
        args = wire(
            GiveBackDepositArgs,
            entry_id=entry_id,
            amount_pence=amount_pence,
            currency=CURRENCY,
            method=method,
            reason=reason.strip(),
        )
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            before = get_booking(uow, booking_id)
            after = booking_after(uow, rules, staff, now, before, args)
            intent = IntentName.GIVE_BACK_DEPOSIT
            mutation = save_and_journal(uow, rules, staff, now, intent, before, after, args)
            entry = LedgerEntry(
                id=entry_id,
                booking_id=before.id,
                kind=LedgerKind.GIVEN_BACK,
                amount_pence=amount_pence,
                method=method,
                note=args.reason,
                staff_name=staff.name,
                recorded_at=now,
                synced=False,
            )
            uow.ledger.record_unsent(entry, mutation)
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        message = (
            f"Recorded {format_pence(amount_pence)} given back to {customer.name} "
            f"({method.words}) on booking {format_reference(after.reference)}."
        )
        return BookingResult(after, customer, message)
