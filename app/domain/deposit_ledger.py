"""Deposits settled at the bar: how money is recorded, what may be taken, and the ledger.

A deposit is taken whole, in one payment: what the staff member says changed
hands must be what the booking owes (less is refused — split payments are not
supported yet; more is refused — the venue keeps no credit for a guest). The
amount is still sent, so that a desk whose copy of the booking is out of date
(the party grew on another desk) is refused by the server rather than the
booking being marked paid for money that did not change hands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.booking import FINISHED, Booking, DepositState
from app.domain.deposits import format_pence
from app.domain.errors import DomainError, InvalidInput
from app.domain.references import format_reference

CURRENCY = "GBP"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD_MACHINE = "card_machine"
    BANK_TRANSFER = "bank_transfer"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class LedgerKind(StrEnum):
    """Every movement of deposit money; Stripe's kinds come with the server's payments."""

    PAYMENT_IN_PERSON = "payment_in_person"
    WAIVER = "waiver"
    STRIPE_PAYMENT = "stripe_payment"
    HOLD = "hold"
    CAPTURE = "capture"
    REFUND = "refund"
    # A hold let go (cancelled in the free window): the amount is what was held, not taken.
    RELEASE = "release"
    # A refund the guest's bank sent back days later (a card closed since): the money is
    # back in the venue's Stripe balance, so its amount undoes that much refunded.
    REFUND_FAILED = "refund_failed"
    # Money a manager gave back outside Stripe (cash or the card machine at the bar, a
    # bank transfer): a refund Stripe cannot make, or one the guest's bank sent back.
    GIVEN_BACK = "given_back"


# Kinds whose amount is money the venue took (a waiver is money it chose not to take).
TAKEN = frozenset({LedgerKind.PAYMENT_IN_PERSON, LedgerKind.STRIPE_PAYMENT, LedgerKind.CAPTURE})
# Of those, the money Stripe took: what a refund through Stripe can give back.
TAKEN_ONLINE = TAKEN - {LedgerKind.PAYMENT_IN_PERSON}


def _ref(b: Booking) -> str:
    return format_reference(b.reference)


def _settleable(b: Booking, verb: str) -> None:
    """Why a booking's deposit cannot be paid or waived, if it cannot."""
    if b.status in FINISHED:
        raise DomainError(
            f"Booking {_ref(b)} is {b.status.value.replace('_', '-')}; "
            f"its deposit cannot be {verb}."
        )
    match b.deposit_state:
        case DepositState.NOT_REQUIRED:
            raise DomainError(f"Booking {_ref(b)} owes no deposit.")
        case DepositState.WAIVED:
            raise DomainError(f"The deposit on booking {_ref(b)} was waived; it cannot be {verb}.")
        case DepositState.REFUNDED | DepositState.REFUND_FAILED:
            raise DomainError(
                f"The deposit on booking {_ref(b)} was refunded; it cannot be {verb}."
            )
        case DepositState.HELD | DepositState.CARD_SAVED:
            raise DomainError(
                f"The deposit on booking {_ref(b)} is secured on the guest's card "
                f"({b.deposit_state.value.replace('_', ' ')}); it cannot be {verb} as well."
            )
        case DepositState.CLAIMED:
            raise DomainError(f"The deposit on booking {_ref(b)} was claimed; it cannot be {verb}.")
        case DepositState.RELEASED:
            raise DomainError(
                f"The hold on booking {_ref(b)}'s deposit was released; it cannot be {verb}."
            )


def check_payment(b: Booking, amount_pence: int, currency: str) -> None:
    """A payment in person of ``amount_pence`` may settle ``b``'s deposit; else why not."""
    if currency != CURRENCY:
        raise InvalidInput(
            "currency", f"Deposits are taken in pounds sterling (GBP), not {currency or 'none'}."
        )
    if amount_pence <= 0:
        raise InvalidInput("amount", "A deposit payment must be more than £0.00.")
    if b.deposit_state is DepositState.PAID:
        raise DomainError(f"The deposit on booking {_ref(b)} is already paid.")
    _settleable(b, "paid")
    owed = format_pence(b.deposit_pence)
    if amount_pence > b.deposit_pence:
        raise InvalidInput(
            "amount",
            f"{format_pence(amount_pence)} is more than the {owed} deposit booking "
            f"{_ref(b)} owes; take {owed}.",
        )
    if amount_pence < b.deposit_pence:
        raise InvalidInput(
            "amount",
            f"{format_pence(amount_pence)} is less than the {owed} deposit booking "
            f"{_ref(b)} owes; take the whole deposit, or a manager can waive it.",
        )


def check_waiver(b: Booking, reason: str) -> None:
    """A manager may waive ``b``'s deposit for ``reason``; else why not."""
    if not reason.strip():
        raise InvalidInput("reason", "Say why the deposit is waived.")
    if b.deposit_state is DepositState.PAID:
        raise DomainError(
            f"The {format_pence(b.deposit_pence)} deposit on booking {_ref(b)} is paid; "
            "it cannot be waived."
        )
    _settleable(b, "waived")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One movement of deposit money (or a waiver of it), as every desk lists it.

    ``synced`` false: recorded on this desk and not yet accepted by the server;
    ``refused``: the server's reason, when it refused it (not counted in totals).
    """

    id: str
    booking_id: str
    kind: LedgerKind
    amount_pence: int
    method: PaymentMethod | None
    note: str
    staff_name: str
    recorded_at: datetime
    currency: str = CURRENCY
    synced: bool = True
    refused: str | None = None

    @property
    def counted(self) -> bool:
        return self.refused is None


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """A night's ledger added up: money taken by method, and what was waived."""

    taken_pence: int
    by_method: dict[str, int]
    waived_pence: int
    entries: int
    refunded_pence: int = 0


def refunded_pence(entries: Iterable[LedgerEntry]) -> int:
    """Given back and still given back: the counted refunds through Stripe less those the
    guest's bank sent back, and what a manager gave back another way."""
    signs = {LedgerKind.REFUND: 1, LedgerKind.REFUND_FAILED: -1, LedgerKind.GIVEN_BACK: 1}
    return sum(signs.get(e.kind, 0) * e.amount_pence for e in entries if e.counted)


def held_pence(entries: Iterable[LedgerEntry]) -> int:
    """What of a booking's deposit money the venue holds: what it took (at the bar or
    through Stripe) less what went back."""
    entries = list(entries)
    taken = sum(e.amount_pence for e in entries if e.counted and e.kind in TAKEN)
    return taken - refunded_pence(entries)


def totals(entries: Iterable[LedgerEntry]) -> LedgerTotals:
    """The totals of the counted entries; ``by_method`` adds up to ``taken_pence`` exactly."""
    by_method: dict[str, int] = {}
    entries = list(entries)
    taken = waived = count = 0
    refunded = refunded_pence(entries)
    for e in entries:
        if not e.counted:
            continue
        count += 1
        if e.kind is LedgerKind.WAIVER:
            waived += e.amount_pence
        elif e.kind in TAKEN:
            method = e.method.value if e.method is not None else e.kind.value
            by_method[method] = by_method.get(method, 0) + e.amount_pence
            taken += e.amount_pence
    return LedgerTotals(taken, dict(sorted(by_method.items())), waived, count, refunded)


def parse_pounds(text: str) -> int:
    """An amount as staff type it ("80", "80.00", "£80.5") in whole pence; else why not."""
    cleaned = text.strip().removeprefix("£").replace(",", "").strip()
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.removeprefix("-")
    pounds, _, pence = digits.partition(".")
    if not cleaned or not (pounds or pence) or not (pounds + pence).isdigit() or len(pence) > 2:
        raise InvalidInput("amount", f"“{text.strip()}” is not an amount in pounds, e.g. 80.00.")
    return sign * (int(pounds or "0") * 100 + int(pence.ljust(2, "0") or "0"))
