"""Recording what a party spent, from the till, against its tables' minimum spend.

One intent, ``record_spend``, judged as the server will judge it
(app.domain.kernel.spent): the party must have sat down; the latest recorded spend
wins. The words staff see say how far the party is from its minimum (app.domain.spend).
"""

from __future__ import annotations

from app.domain.deposit_ledger import parse_pounds
from app.domain.permissions import Staff
from app.domain.spend import against
from app.models.uow import Store
from app.protocol import IntentName, RecordSpendArgs
from app.services.common import BookingResult, Clock, journal_one, wire


class SpendRecording:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store, self.clock = store, clock

    def record(self, staff: Staff, booking_id: str, spend: int | str) -> BookingResult:
        """Record the party's spend: pence, or pounds as staff type them ("180.50")."""
        pence = parse_pounds(spend) if isinstance(spend, str) else spend
        args = wire(RecordSpendArgs, spend_pence=pence)
        after, customer, rules = journal_one(
            self.store, self.clock(), staff, booking_id, IntentName.RECORD_SPEND, args
        )
        words = against(rules.plan, after).words()
        return BookingResult(after, customer, f"{customer.name}: {words}.")
