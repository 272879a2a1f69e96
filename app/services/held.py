"""Tables kept out of allocation for a while: waitlist offers here, holds of other desks.

A table held for a guest's waitlist offer must not be sold to somebody else
while the guest decides, and a table another desk is booking right now (its
server hold, as sync brought it) should not be offered here either. Every
allocation path of the desk (the booking decision, locked best fit, the checks
behind a drag or a promotion) goes through these.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.domain.allocation import Engine, SeatingRequest
from app.domain.booking import BookingStatus
from app.domain.errors import DomainError
from app.domain.floorplan import FloorPlan
from app.domain.rules import VenueRules
from app.models.uow import Reader


@dataclass(frozen=True, slots=True)
class Held:
    key: str
    table_ids: tuple[str, ...]
    start: datetime
    end: datetime
    # "for Ada Lovelace's waitlist offer until 21:42", "by another desk"
    why: str
    # The guest the table is held for: their own hold does not block them.
    for_booking: str | None = None
    # Held by this desk's waitlist offer (not another desk's server hold).
    offer: bool = False

    def blocks(self, request: SeatingRequest) -> bool:
        own = self.for_booking is not None and self.for_booking == request.booking_id
        return not own and self.start < request.end and request.start < self.end


def held_around(reader: Reader, bundle: VenueRules, start: datetime, now: datetime) -> list[Held]:
    """What is held on the night of ``start``."""
    return held_tables(reader, bundle, bundle.venue.service_day(start), now)


def held_tables(reader: Reader, bundle: VenueRules, day: date, now: datetime) -> list[Held]:
    held: list[Held] = []
    state = reader.offers.state(day, 0)
    waiting = {b.id: b for b in reader.bookings.on_day(day, [BookingStatus.WAITLISTED])}
    names = reader.customers.many([b.customer_id for b in waiting.values()])
    for offer in state.offers:
        booking = waiting.get(offer.booking_id)
        if offer.expires_at <= now or booking is None:
            continue
        start = max(offer.freed.start, offer.offered_at)
        end = offer.freed.until or start + timedelta(minutes=booking.duration_minutes)
        name = names[booking.customer_id].name if booking.customer_id in names else "a guest"
        why = f"held for {name}'s waitlist offer until {bundle.venue.show_time(offer.expires_at)}"
        held.append(Held(offer.id, offer.freed.table_ids, start, end, why, booking.id, offer=True))
    return held + other_desks(reader, now)


def other_desks(reader: Reader, now: datetime) -> list[Held]:
    """Other desks' live server holds, as the last sync brought them."""
    held = []
    for hold in reader.holds.others():
        expires = datetime.fromisoformat(hold.get("expires_local") or hold["expires_at"])
        if expires <= now:
            continue
        held.append(
            Held(
                str(hold.get("id", "")),
                tuple(str(t) for t in hold["table_ids"]),
                datetime.fromisoformat(hold["start"]),
                datetime.fromisoformat(hold["end"]),
                f"being booked by {hold.get('staff_name') or 'someone'} on "
                f"{hold.get('device_name') or 'another desk'}",
                str(hold["booking_id"]) if hold.get("booking_id") else None,
            )
        )
    return held


def refuse_if_held(
    bundle: VenueRules, held: list[Held], table_ids: tuple[str, ...], request: SeatingRequest
) -> None:
    for h in held:
        if h.blocks(request) and set(h.table_ids) & set(table_ids):
            raise DomainError(f"Table {bundle.plan.numbers(h.table_ids)} is {h.why}.")


def plan_without_held(plan: FloorPlan, held: list[Held], request: SeatingRequest) -> FloorPlan:
    """The floor plan as locked best fit may use it: held tables taken out for now."""
    out = {t for h in held if h.blocks(request) for t in h.table_ids}
    if not out:
        return plan
    tables = tuple(replace(t, active=False) if t.id in out else t for t in plan.tables)
    return replace(plan, tables=tables)


def hold_in_engine(engine: Engine, held: list[Held], request: SeatingRequest) -> None:
    for h in held:
        if h.blocks(request):
            minutes = int((h.end - h.start).total_seconds() // 60)
            engine.index.hold(h.key, h.table_ids, h.start, max(minutes, 1))
