"""The deposit figures of a night's review, from the ledger: one home for what each kind counts as.

A ledger kind added later (a claim, a forfeit) needs one line in ``BUCKETS``;
``tests/unit/test_review_money.py`` fails until every kind has its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_ledger import TAKEN, LedgerEntry, LedgerKind


class Bucket(StrEnum):
    TAKEN = "taken"
    REFUNDED = "refunded"
    WAIVED = "waived"
    # Money held or moved that is not yet the venue's (a card hold before its capture).
    NONE = "none"


BUCKETS: dict[LedgerKind, Bucket] = {
    **{kind: Bucket.TAKEN for kind in TAKEN},
    LedgerKind.HOLD: Bucket.NONE,
    # A hold let go: nothing was taken.
    LedgerKind.RELEASE: Bucket.NONE,
    LedgerKind.REFUND: Bucket.REFUNDED,
    # A refund the bank sent back: counted against the refunds (``SIGNS``).
    LedgerKind.REFUND_FAILED: Bucket.REFUNDED,
    LedgerKind.WAIVER: Bucket.WAIVED,
    # Given back outside Stripe: a refund all the same.
    LedgerKind.GIVEN_BACK: Bucket.REFUNDED,
}

# A deposit still owed by a booking that still stands (a cancelled one owes nothing).
OWING = frozenset({DepositState.REQUIRED, DepositState.REQUESTED})
STANDING = frozenset(
    {BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.SEATED, BookingStatus.COMPLETED}
)
# A deposit the booking took: it keeps what it owed.
KEEPS_WHAT_IT_OWED = frozenset({DepositState.PAID, DepositState.CLAIMED})
# A manager refunded (part of) it: what is left was their decision.
KEEPS_WHAT_IS_LEFT = frozenset({DepositState.REFUNDED})


@dataclass(frozen=True, slots=True)
class DepositFigures:
    """Pence. ``forfeited`` is part of what was taken and kept (not refunded)."""

    taken: int = 0
    refunded: int = 0
    forfeited: int = 0
    outstanding: int = 0
    waived: int = 0
    # Taken beyond what the bookings could keep: a guest who paid the link and at the bar,
    # or paid after the booking was cancelled or waived (docs/payments.md: the server keeps
    # Stripe's money and says a manager should refund it).
    to_give_back: int = 0

    @property
    def kept(self) -> int:
        return self.taken - self.refunded


# What undoes its bucket rather than adds to it.
SIGNS: dict[LedgerKind, int] = {LedgerKind.REFUND_FAILED: -1}


def bucket_of(kind: LedgerKind) -> Bucket:
    return BUCKETS[kind]


@dataclass(frozen=True, slots=True)
class BookingMoney:
    taken: int = 0
    refunded: int = 0
    waived: int = 0
    # The last refund the guest's bank sent back (the ledger's order): what a manager
    # decided to give back and the venue holds again.
    sent_back: int = 0

    @property
    def kept(self) -> int:
        return self.taken - self.refunded


def money_by_booking(entries: Iterable[LedgerEntry]) -> dict[str, BookingMoney]:
    """Each booking's counted ledger entries added up by bucket (a refused one is not money)."""
    sums: dict[str, dict[Bucket, int]] = {}
    sent_back: dict[str, int] = {}
    for e in entries:
        if e.counted:
            per = sums.get(e.booking_id)
            if per is None:
                per = sums[e.booking_id] = dict.fromkeys(Bucket, 0)
            per[bucket_of(e.kind)] += SIGNS.get(e.kind, 1) * abs(e.amount_pence)
            if e.kind is LedgerKind.REFUND_FAILED:
                sent_back[e.booking_id] = abs(e.amount_pence)
    return {
        b: BookingMoney(s[Bucket.TAKEN], s[Bucket.REFUNDED], s[Bucket.WAIVED], sent_back.get(b, 0))
        for b, s in sums.items()
    }


def to_give_back(b: Booking, money: BookingMoney) -> int:
    """What ``b`` holds beyond what it may keep: all of it unless its deposit was taken
    (then what it owed) or a manager refunded some (then what they left) — and when the
    guest's bank sent their refund back, that refund, which the venue holds again."""
    if b.deposit_state is DepositState.REFUND_FAILED:
        return max(0, min(money.sent_back, money.kept))
    if b.deposit_state in KEEPS_WHAT_IS_LEFT:
        return 0
    may_keep = b.deposit_pence if b.deposit_state in KEEPS_WHAT_IT_OWED else 0
    return max(0, money.kept - may_keep)


def deposit_figures(
    bookings: Iterable[Booking], entries: Iterable[LedgerEntry], forfeits: frozenset[str]
) -> DepositFigures:
    """``entries``: the ledger of ``bookings``; ``forfeits``: ids of bookings whose deposit is
    the venue's to keep (no-shows and late cancellations): what was taken and not refunded."""
    money = money_by_booking(entries)
    bookings = list(bookings)
    outstanding = sum(
        b.deposit_pence for b in bookings if b.deposit_state in OWING and b.status in STANDING
    )
    return DepositFigures(
        taken=sum(m.taken for m in money.values()),
        refunded=sum(m.refunded for m in money.values()),
        forfeited=sum(max(0, m.kept) for b, m in money.items() if b in forfeits),
        outstanding=outstanding,
        waived=sum(m.waived for m in money.values()),
        to_give_back=sum(to_give_back(b, money[b.id]) for b in bookings if b.id in money),
    )
