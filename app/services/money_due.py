"""Deposit money a manager has to see to, on any night: what the desk's money badge lists.

The rules are the domain's (app.domain.money_due); this reads what they need from the
desk's file and asks the claim's one meaning (app.protocol.meaning, through
``booking_after``) whether each booking's deposit could be claimed now, so the badge
offers a claim exactly when "Claim deposit…" would take it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from app.domain.booking import Booking
from app.domain.deposit_ledger import CURRENCY, LedgerEntry
from app.domain.errors import DomainError
from app.domain.money_due import LOOK_BACK, Due, claim_in_time, money_due, most_pressing_first
from app.domain.permissions import Action, Staff
from app.domain.references import format_reference
from app.domain.review_money import money_by_booking
from app.domain.rules import VenueRules
from app.models.uow import Reader, Store
from app.protocol import IntentName
from app.protocol.deposit_args import ClaimDepositArgs
from app.services.common import Clock, booking_after, wire

# Who sees the money badge: those who can act on what it lists.
SEES = (Action.REFUND_DEPOSIT, Action.CLAIM_DEPOSIT)


@dataclass(frozen=True, slots=True)
class MoneyLine:
    booking_id: str
    day: date  # the booking's service day: the night to open to act on it
    reference: str
    guest: str
    start: datetime
    due: Due
    amount_pence: int
    what: str
    by: datetime | None


class MoneyToSee:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def lines(self, staff: Staff | None) -> list[MoneyLine]:
        """The deposits of the last two months that need a manager, most pressing first;
        nothing for staff who could not act on them."""
        if staff is None or not any(staff.may(a) for a in SEES):
            return []
        now = self.clock()
        with self.store.read() as r:
            rules = r.venue.get()
            venue = rules.venue
            bookings = r.bookings.with_deposits_from(venue.service_day(now - LOOK_BACK))
            ids = [b.id for b in bookings]
            entries = r.ledger.of_bookings(ids)
            links, actions = r.links.latest(ids), r.links.latest_actions(ids)
            money = money_by_booking(entries)
            asked = {
                str(m.entity_id)
                for name in (IntentName.CLAIM_DEPOSIT, IntentName.REFUND_DEPOSIT)
                for m in r.outbox.pending(name)
            }
            per: dict[str, list[LedgerEntry]] = defaultdict(list)
            for e in entries:
                per[e.booking_id].append(e)
            found = [
                due
                for b in bookings
                if (
                    due := money_due(
                        venue,
                        b,
                        money=money.get(b.id),
                        entries=per[b.id],
                        link=links.get(b.id),
                        action=actions.get(b.id),
                        claimable=_claimable(r, rules, staff, now, b),
                        now=now,
                        asked=b.id in asked,
                    )
                )
                is not None
            ]
            guests = r.customers.many([m.booking.customer_id for m in found])
        return [
            MoneyLine(
                m.booking.id,
                venue.service_day(m.booking.start),
                format_reference(m.booking.reference),
                guests[m.booking.customer_id].name if m.booking.customer_id in guests else "",
                m.booking.start,
                m.due,
                m.amount_pence,
                m.what,
                m.by,
            )
            for m in most_pressing_first(found)
        ]


def _claimable(r: Reader, rules: VenueRules, staff: Staff, now: datetime, b: Booking) -> bool:
    """Whether ``staff`` could claim ``b``'s whole deposit now, by the claim's one meaning."""
    if not claim_in_time(b, now) or not staff.may(Action.CLAIM_DEPOSIT):
        return False
    claim = wire(ClaimDepositArgs, amount_pence=b.deposit_pence, currency=CURRENCY)
    try:
        booking_after(r, rules, staff, now, b, claim)
    except DomainError:
        return False
    return True
