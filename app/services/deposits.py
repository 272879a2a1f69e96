"""Use cases that settle a deposit at the bar: take it in person, waive it, or both at the door.

Each is one unit of work: the booking, its audit event, its intent and the
ledger entry the desk shows at once (replaced by the server's when pulled).
Seating a party that still owes its deposit settles it first, in the same unit
of work: two intents, the payment (or waiver) and then the seating, so the
server judges each with its own meaning and role, and either both are saved on
the desk or neither is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.domain.booking import Booking, BookingStatus
from app.domain.deposit_ledger import (
    CURRENCY,
    LedgerEntry,
    LedgerKind,
    PaymentMethod,
)
from app.domain.deposits import format_pence
from app.domain.permissions import Staff
from app.domain.rules import VenueRules
from app.models.uow import Store, UnitOfWork
from app.protocol import IntentName, SetStatusArgs
from app.protocol.deposit_args import RecordDepositPaymentArgs, WaiveDepositArgs
from app.services.booking_edit import refuse_if_taken
from app.services.common import (
    BookingResult,
    Clock,
    booking_after,
    get_booking,
    get_customer,
    save_and_journal,
    seating_words,
    wire,
)
from app.services.waitlist_offers import WaitlistOffers

S = BookingStatus


@dataclass(frozen=True, slots=True)
class TakeDeposit:
    """A deposit paid in person, as staff entered it."""

    amount_pence: int
    method: PaymentMethod
    note: str = ""
    currency: str = CURRENCY


@dataclass(frozen=True, slots=True)
class WaiveDeposit:
    """A manager lets the party off its deposit."""

    reason: str


Settlement = TakeDeposit | WaiveDeposit


class DepositSettling:
    def __init__(self, store: Store, clock: Clock, offers: WaitlistOffers | None = None) -> None:
        self.store = store
        self.clock = clock
        self.offers = offers

    def take(self, staff: Staff, booking_id: str, payment: TakeDeposit) -> BookingResult:
        return self._run(staff, booking_id, payment, seat=False)

    def waive(self, staff: Staff, booking_id: str, reason: str) -> BookingResult:
        return self._run(staff, booking_id, WaiveDeposit(reason), seat=False)

    def seat_at_door(
        self,
        staff: Staff,
        booking_id: str,
        settlement: Settlement,
        table_ids: tuple[str, ...] | None = None,
    ) -> BookingResult:
        """Settle what the party owes, then seat it (at other tables if given)."""
        return self._run(staff, booking_id, settlement, seat=True, table_ids=table_ids)

    def _run(
        self,
        staff: Staff,
        booking_id: str,
        settlement: Settlement,
        *,
        seat: bool,
        table_ids: tuple[str, ...] | None = None,
    ) -> BookingResult:
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            before = get_booking(uow, booking_id)
            after = settle(uow, rules, staff, now, before, settlement)
            if seat:
                after = _seated(uow, rules, staff, now, after, table_ids)
            events = (
                self.offers.after_status_change(uow, rules, before, after, now)
                if seat and self.offers is not None
                else ()
            )
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        news = self.offers.news(events) if self.offers is not None and events else ""
        message = _words(settlement, before, after, customer.name, rules)
        return BookingResult(after, customer, f"{message} {news}".strip())


def settle(
    uow: UnitOfWork,
    rules: VenueRules,
    staff: Staff,
    now: datetime,
    before: Booking,
    settlement: Settlement,
) -> Booking:
    """The payment or waiver intent, its booking and its ledger entry, in ``uow``."""
    entry_id = str(uuid.uuid4())
    args: RecordDepositPaymentArgs | WaiveDepositArgs
    if isinstance(settlement, TakeDeposit):
        args = wire(
            RecordDepositPaymentArgs,
            entry_id=entry_id,
            amount_pence=settlement.amount_pence,
            currency=settlement.currency,
            method=settlement.method,
            note=settlement.note.strip(),
        )
        intent, kind = IntentName.RECORD_DEPOSIT_PAYMENT, LedgerKind.PAYMENT_IN_PERSON
    else:
        args = wire(WaiveDepositArgs, entry_id=entry_id, reason=settlement.reason.strip())
        intent, kind = IntentName.WAIVE_DEPOSIT, LedgerKind.WAIVER
    after = booking_after(uow, rules, staff, now, before, args)
    mutation = save_and_journal(uow, rules, staff, now, intent, before, after, args)
    paid = isinstance(args, RecordDepositPaymentArgs)
    entry = LedgerEntry(
        id=entry_id,
        booking_id=before.id,
        kind=kind,
        amount_pence=args.amount_pence if paid else before.deposit_pence,
        method=args.method if paid else None,
        note=args.note if paid else args.reason,
        staff_name=staff.name,
        recorded_at=now,
        synced=False,
    )
    uow.ledger.record_unsent(entry, mutation)
    return after


def _seated(
    uow: UnitOfWork,
    rules: VenueRules,
    staff: Staff,
    now: datetime,
    b: Booking,
    table_ids: tuple[str, ...] | None,
) -> Booking:
    elsewhere = bool(table_ids) and tuple(table_ids or ()) != b.table_ids
    args = wire(
        SetStatusArgs, status=S.SEATED, table_ids=list(table_ids or ()) if elsewhere else None
    )
    after = booking_after(uow, rules, staff, now, b, args)
    if elsewhere and after.holds_tables:
        refuse_if_taken(uow, rules, after, now)
    save_and_journal(uow, rules, staff, now, IntentName.SET_STATUS, b, after, args)
    return after


def _words(
    settlement: Settlement, before: Booking, after: Booking, name: str, rules: VenueRules
) -> str:
    if isinstance(settlement, TakeDeposit):
        what = (
            f"Took {format_pence(settlement.amount_pence)} deposit "
            f"({settlement.method.words}) from {name}"
        )
    else:
        what = f"Waived {name}'s {format_pence(before.deposit_pence)} deposit"
    if after.status is S.SEATED:
        return f"{what}; seated, party of {after.party_size} at {seating_words(rules, after)}."
    if before.status is S.PENDING and after.status is S.CONFIRMED:
        return f"{what}; the booking is confirmed."
    return f"{what}."
