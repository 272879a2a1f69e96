"""Changes the server refused, for staff to read and acknowledge.

A refusal is this desk's own outcome: the change was undone here when it came
back (a refused new booking stays, marked in conflict), and the desk needs
attention until someone has read why. Acknowledging is desk-local — no intent
is sent, no booking or outbox row changes — and the sync status is settled
again at once, not at the next sync cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import NotFound
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.sync_repositories import RefusedChange
from app.models.uow import Reader, Store
from app.protocol import IntentName as I

# What each intent did to a booking, as the start of a sentence naming the booking.
BOOKING_ACTIONS = {
    I.MOVE_BOOKING: "Move of booking",
    I.EDIT_DETAILS: "Change to the details of booking",
    I.SET_STATUS: "Status change of booking",
    I.CANCEL: "Cancellation of booking",
    I.REARRANGE: "Re-arrangement of tables around booking",
    I.RESOLVE_CONFLICT: "Resolution of the conflict on booking",
}


@dataclass(frozen=True, slots=True)
class RefusalView:
    device_seq: int
    # The change in staff words: "New booking for Ada Lovelace, party of 4".
    what: str
    reason: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Acknowledged:
    message: str


class Refusals:
    def __init__(self, store: Store, restate: Callable[[], object] = lambda: None) -> None:
        self.store = store
        # Settles the sync status again (a connected desk's engine); nothing when alone.
        self.restate = restate

    def unacknowledged(self) -> list[RefusalView]:
        """The refused changes nobody has acknowledged on this desk, oldest first."""
        with self.store.read() as reader:
            rules = reader.venue.get()
            return [
                RefusalView(r.device_seq, _what(reader, rules, r), r.reason, r.received_at)
                for r in reader.refusals.unacknowledged()
            ]

    def acknowledge(self, device_seqs: Collection[int]) -> Acknowledged:
        """Staff have read these refusals: they stop needing attention on this desk."""
        with self.store.unit_of_work() as uow:
            read = uow.refusals.acknowledge(device_seqs)
            uow.commit()
        self.restate()
        noun = "refusal" if read == 1 else "refusals"
        return Acknowledged(f"{read} {noun} acknowledged." if read else "Already acknowledged.")


def _what(reader: Reader, rules: VenueRules, refused: RefusedChange) -> str:
    name, entity_id = refused.name, refused.entity_id
    if name == I.CREATE_BOOKING:
        booking = reader.bookings.get(entity_id)
        if booking is None:
            return "New booking"
        return (
            f"New booking for {_guest(reader, booking.customer_id)}, party of {booking.party_size}"
        )
    if name in BOOKING_ACTIONS:
        return f"{BOOKING_ACTIONS[I(name)]} {_booking(reader, entity_id)}"
    if name == I.UPSERT_CUSTOMER:
        return f"Change to guest {_guest(reader, entity_id)}"
    if name == I.UPDATE_TABLE:
        return f"Change to table {_tables(rules, [entity_id])}"
    if name == I.UPDATE_AREA:
        area = reader.venue.stored_area(entity_id)
        return f"Change to area {area.fields['name']}" if area else "Change to an area"
    if name == I.UPDATE_COMBINATION:
        combination = reader.venue.stored_combination(entity_id)
        if combination is None:
            return "Change to a combination"
        return f"Change to combination {_tables(rules, combination.fields['table_ids'])}"
    return f"A change ({name.replace('_', ' ')})"


def _booking(reader: Reader, booking_id: str) -> str:
    booking = reader.bookings.get(booking_id)
    if booking is None:
        return "no longer on this desk"
    return f"{format_reference(booking.reference)} ({_guest(reader, booking.customer_id)})"


def _guest(reader: Reader, customer_id: str) -> str:
    customer = reader.customers.get(customer_id)
    return customer.name if customer and customer.name else "a guest"


def _tables(rules: VenueRules, table_ids: Collection[str]) -> str:
    try:
        return rules.plan.numbers(table_ids)
    except NotFound:
        return "no longer on the plan"
