"""What the edit dialog shows while staff change a booking: do its tables still do, and
what happens to the deposit. The same checks the use cases make, asked ahead of time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.allocation import Seating, SeatingRequest
from app.domain.errors import DomainError
from app.domain.kernel.bookings import priced
from app.domain.kernel.seating import check_seats
from app.domain.limits import check_duration, check_party_size
from app.services.advice import _fitting
from app.services.booking_edit import refuse_if_taken
from app.services.common import get_booking, night_bookings
from app.services.queries import Queries


@dataclass(frozen=True, slots=True)
class EditOptions:
    party_size: int
    start: datetime
    duration_minutes: int
    # The booking's own tables (None: it holds none, e.g. on the waitlist).
    tables: str | None
    # Why saving would be refused as it stands, in staff words ("" when it would not be).
    problem: str
    deposit_before: int
    deposit_after: int
    # Other free tables or combinations that seat the party then, for a move.
    others: tuple[Seating, ...] = ()


class EditAdvice:
    def __init__(self, queries: Queries) -> None:
        self.queries = queries

    def options(
        self, booking_id: str, party_size: int, start: datetime, duration_minutes: int
    ) -> EditOptions:
        rules = self.queries.venue()
        now = self.queries.clock()
        with self.queries.store.read() as reader:
            before = get_booking(reader, booking_id)
            customer = reader.customers.get(before.customer_id)
            vip = bool(customer and customer.vip)
            after = replace(
                before, party_size=party_size, start=start, duration_minutes=duration_minutes
            )
            problem = ""
            try:
                check_party_size(party_size, rules.plan.largest_party())
                check_duration(duration_minutes)
                if (start, duration_minutes) != (before.start, before.duration_minutes):
                    rules.venue.check_open(start, duration_minutes)
                if before.holds_tables:
                    check_seats(rules.plan, before.table_ids, party_size)
                    refuse_if_taken(reader, rules, after, now)
            except DomainError as refused:
                problem = str(refused)
            others: tuple[Seating, ...] = ()
            if problem and before.holds_tables and party_size >= 1:
                request = SeatingRequest(
                    party_size, start, duration_minutes, vip, booking_id=before.id
                )
                try:
                    others = _fitting(rules, night_bookings(reader, rules, start), request)
                except DomainError:
                    others = ()
        repriced = priced(rules, after, vip) if party_size != before.party_size else after
        return EditOptions(
            party_size,
            start,
            duration_minutes,
            rules.plan.numbers(before.table_ids) if before.table_ids else None,
            problem,
            before.deposit_pence,
            repriced.deposit_pence,
            tuple(s for s in others if set(s.table_ids) != set(before.table_ids)),
        )
