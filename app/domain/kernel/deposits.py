"""What settling a deposit at the bar does to a booking: paid in person, or waived.

Either one settles the deposit; a booking that was pending only for it is
confirmed there and then (app.domain.kernel.bookable_status), so a party paying
at the door can be seated in the same breath.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_ledger import check_payment, check_waiver


def _settled(b: Booking, state: DepositState, at: datetime) -> Booking:
    after = replace(b, deposit_state=state, updated_at=at)
    if after.status is BookingStatus.PENDING:
        after = after.moved_to(BookingStatus.CONFIRMED, at)
    return after


def paid_in_person(b: Booking, *, amount_pence: int, currency: str, at: datetime) -> Booking:
    """The deposit taken at the bar (cash, card machine, bank transfer): exactly what is owed."""
    check_payment(b, amount_pence, currency)
    return _settled(b, DepositState.PAID, at)


def waived(b: Booking, *, reason: str, at: datetime) -> Booking:
    """A manager let the party off its deposit, for ``reason``."""
    check_waiver(b, reason)
    return _settled(b, DepositState.WAIVED, at)
