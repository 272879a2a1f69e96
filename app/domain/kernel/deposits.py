"""What settling a deposit does to a booking: paid (at the bar or online), waived, or asked for.

Paid or waived settles the deposit; a booking that was pending only for it is
confirmed there and then (app.domain.kernel.bookable_status), so a party paying
at the door can be seated in the same breath.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_actions import check_claim, check_give_back, check_refund
from app.domain.deposit_ledger import CURRENCY, check_payment, check_waiver
from app.domain.deposit_links import DepositLink, check_hold_live, check_request
from app.domain.deposits import DepositPolicy


def _settled(b: Booking, state: DepositState, at: datetime) -> Booking:
    after = replace(b, deposit_state=state, updated_at=at)
    if after.status is BookingStatus.PENDING:
        after = after.moved_to(BookingStatus.CONFIRMED, at)
    return after


def paid(b: Booking, *, amount_pence: int, currency: str, at: datetime) -> Booking:
    """The deposit taken, exactly what is owed: at the bar (cash, card machine, bank
    transfer) or through the payment link (the server's webhook). One rule for both."""
    check_payment(b, amount_pence, currency)
    return _settled(b, DepositState.PAID, at)


paid_in_person = paid


def requested(b: Booking, *, at: datetime) -> Booking:
    """A payment link is asked for: the deposit is still owed, and the booking stays
    as it is (pending) until the guest pays."""
    check_request(b)
    return replace(b, deposit_state=DepositState.REQUESTED, updated_at=at)


def lapsed(b: Booking, *, at: datetime) -> Booking:
    """The link expired unpaid: the deposit is owed again (a new link may be sent).
    Anything but an open request is left as it is: a late expiry never undoes a payment."""
    if b.deposit_state is not DepositState.REQUESTED:
        return b
    return replace(b, deposit_state=DepositState.REQUIRED, updated_at=at)


def waived(b: Booking, *, reason: str, at: datetime) -> Booking:
    """A manager let the party off its deposit, for ``reason``."""
    check_waiver(b, reason)
    return _settled(b, DepositState.WAIVED, at)


def held(b: Booking, *, amount_pence: int, currency: str, at: datetime) -> Booking:
    """The guest's card is authorised for the deposit (a hold, captured only on a
    no-show): it secures the booking as a payment does, with the same amount rule."""
    check_payment(b, amount_pence, currency)
    return _settled(b, DepositState.HELD, at)


def card_saved(b: Booking, *, at: datetime) -> Booking:
    """The guest saved a card to be charged on a no-show: it secures the booking."""
    if b.deposit_state is not DepositState.REQUESTED:
        _unsecurable(b)
    return _settled(b, DepositState.CARD_SAVED, at)


def _unsecurable(b: Booking) -> None:
    # The same refusals as a payment (paid already, waived, refunded, finished …).
    check_payment(b, b.deposit_pence, CURRENCY)


def claim_asked(
    b: Booking,
    *,
    amount_pence: int,
    currency: str,
    policy: DepositPolicy,
    hold: DepositLink | None = None,
    at: datetime | None = None,
) -> Booking:
    """A manager claims a no-show's (or late cancellation's) deposit: allowed or refused
    here; the booking changes only when Stripe has taken the money (``claimed``). ``hold``
    is its latest link where this side knows it: a hold past its day is refused at ``at``."""
    check_claim(b, amount_pence, currency, policy)
    if at is not None:
        check_hold_live(b, hold, at)
    return b


def claimed(b: Booking, *, at: datetime) -> Booking:
    """Stripe captured the hold (or charged the saved card): the venue kept the deposit."""
    return replace(b, deposit_state=DepositState.CLAIMED, updated_at=at)


def refund_asked(b: Booking, *, amount_pence: int, currency: str, refundable: int) -> Booking:
    """A manager refunds (part of) a deposit taken online: allowed or refused here; the
    booking changes only when Stripe has made the refund (``refunded``)."""
    check_refund(b, amount_pence, currency, refundable)
    return b


def given_back(b: Booking, *, amount_pence: int, currency: str, held: int, at: datetime) -> Booking:
    """A manager gave back (part of) a deposit outside Stripe — cash or the card machine at
    the bar, a bank transfer — and says so: the deposit reads refunded, as after a refund
    through Stripe (the ledger says how much, and how)."""
    check_give_back(b, amount_pence, currency, held)
    return replace(b, deposit_state=DepositState.REFUNDED, updated_at=at)


def released(b: Booking, *, at: datetime) -> Booking:
    """Stripe let the hold go: nothing was taken, and nothing can be claimed now."""
    return replace(b, deposit_state=DepositState.RELEASED, updated_at=at)


def refunded(b: Booking, *, at: datetime) -> Booking:
    """Stripe made a refund: the deposit reads refunded (the ledger says how much)."""
    return replace(b, deposit_state=DepositState.REFUNDED, updated_at=at)


def refund_failed(b: Booking, *, at: datetime) -> Booking:
    """The guest's bank sent a refund back: the deposit reads refund failed until a
    manager refunds it again (``refunded``) — never silently "refunded"."""
    return replace(b, deposit_state=DepositState.REFUND_FAILED, updated_at=at)
