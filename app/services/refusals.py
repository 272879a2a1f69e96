"""Changes the server refused, for staff to put right: retry, amend or discard.

A refusal is this desk's own outcome: the change was undone here when it came
back (a refused new booking stays, in conflict and holding no table, shown as
refused), and it stays open until staff settle it:

* **retry** records the same change again as a new intent, rebuilt on the desk
  as it is now (app/services/refusal_retry.py);
* **amend** is a retry of a refused new booking with fields changed, or, for a
  refused change to a booking, marks it dealt with while staff make the change
  again through the usual edit or move;
* **discard** takes a refused new booking off this desk (the server never had
  it; the refused intent's body and its audit event stay in the file), and
  for any other refused change only marks it dealt with, as the desk already
  shows the server's row.

Settling is recorded on the refusal (how, who, when). It sends nothing itself,
and the sync status is settled again at once, not at the next sync cycle.
``acknowledge`` (read, nothing else) settles any refusal but a new booking's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import DomainError, NotFound
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.sync_repositories import RefusedChange
from app.models.uow import Reader, Store
from app.protocol import IntentName as I
from app.services.common import Clock, seating_words, system_clock
from app.services.refusal_retry import Amendment, retried, still_sending, why_not

__all__ = ["Amendment", "RefusalView", "Refusals", "Settled"]

# What each intent did to a booking, as the start of a sentence naming the booking.
BOOKING_ACTIONS = {
    I.MOVE_BOOKING: "Move of booking",
    I.EDIT_DETAILS: "Change to the details of booking",
    I.SET_STATUS: "Status change of booking",
    I.CANCEL: "Cancellation of booking",
    I.UNDO_CANCEL: "Undo of the cancellation of booking",
    I.REARRANGE: "Re-arrangement of tables around booking",
    I.RESOLVE_CONFLICT: "Resolution of the conflict on booking",
}


@dataclass(frozen=True, slots=True)
class RefusalView:
    # The refusal's number, shown as "#17" and typed in `backroom refusals retry 17`.
    device_seq: int
    # The change in staff words: "New booking for Ada Lovelace, party of 4".
    what: str
    reason: str
    received_at: datetime
    name: str = ""
    # The booking the change touched, if it was a booking's (and is still on the desk).
    booking_id: str | None = None
    # None if it can be sent again; else why not, in staff words.
    retry_blocked: str | None = None

    @property
    def creation(self) -> bool:
        return self.name == I.CREATE_BOOKING


@dataclass(frozen=True, slots=True)
class Acknowledged:
    message: str


# What a retry, amendment or discard says, carried as ``message`` like a use case's result.
Settled = Acknowledged


class Refusals:
    def __init__(
        self,
        store: Store,
        restate: Callable[[], object] = lambda: None,
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        # Settles the sync status again (a connected desk's engine); nothing when alone.
        self.restate = restate
        self.clock = clock

    def unacknowledged(self) -> list[RefusalView]:
        """The refused changes nobody has settled on this desk, oldest first."""
        with self.store.read() as reader:
            rules = reader.venue.get()
            return [_view(reader, rules, r) for r in reader.refusals.unacknowledged()]

    open = unacknowledged

    def get(self, device_seq: int) -> RefusalView:
        """One open refusal by its number, or a clear refusal of the number."""
        with self.store.read() as reader:
            return _view(reader, reader.venue.get(), _open(reader, device_seq))

    def retry(self, staff: Staff, device_seq: int) -> Settled:
        """Send the refused change again, rebuilt on this desk as it is now."""
        return self._send_again(staff, device_seq, None)

    def amend(self, staff: Staff, device_seq: int, amendment: Amendment) -> Settled:
        """Send a refused new booking again with what staff changed."""
        return self._send_again(staff, device_seq, amendment)

    def _send_again(self, staff: Staff, seq: int, amendment: Amendment | None) -> Settled:
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            refused = _open(uow, seq)
            booking = retried(uow, rules, staff, now, refused, amendment)
            how = "retried" if amendment is None else "amended"
            uow.refusals.settle(seq, how, _who(staff), now)
            what = _what(uow, rules, refused)
            uow.commit()
        self.restate()
        verb = "Sent again" if amendment is None else "Amended and sent again"
        where = f" at {seating_words(rules, booking)}" if booking.table_ids else ""
        return Settled(
            f"{verb}: {what} ({rules.venue.show_day_time(booking.start)}{where}). "
            "It waits for the server's answer."
        )

    def mark_amended(self, staff: Staff, device_seq: int) -> Settled:
        """Staff are making a refused change to a booking again through the usual edit."""
        with self.store.unit_of_work() as uow:
            refused = _open(uow, device_seq)
            if refused.name == I.CREATE_BOOKING:
                raise DomainError("A refused new booking is amended by sending it again.")
            uow.refusals.settle(device_seq, "amended", _who(staff), self.clock())
            uow.commit()
        self.restate()
        return Settled(f"Refusal #{device_seq} is dealt with; make the change again.")

    def discard(self, staff: Staff, device_seq: int) -> Settled:
        """Drop a refused change for good (a refused new booking leaves this desk)."""
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            refused = _open(uow, device_seq)
            what = _what(uow, rules, refused)
            if refused.name == I.CREATE_BOOKING:
                if still_sending(uow, refused.entity_id):
                    raise DomainError(
                        "Changes to this booking are still waiting for the server's answer; "
                        "discard it once they have one."
                    )
                uow.refusals.remove_refused_booking(refused.entity_id)
            uow.refusals.settle(device_seq, "discarded", _who(staff), now)
            uow.commit()
        self.restate()
        return Settled(f"Discarded: {what}.")

    def acknowledge(self, device_seqs: Collection[int]) -> Acknowledged:
        """Staff have read these refusals: they stop needing attention on this desk."""
        with self.store.unit_of_work() as uow:
            read = uow.refusals.acknowledge(device_seqs)
            uow.commit()
        self.restate()
        noun = "refusal" if read == 1 else "refusals"
        return Acknowledged(f"{read} {noun} acknowledged." if read else "Already acknowledged.")


def _open(reader: Reader, device_seq: int) -> RefusedChange:
    refused = reader.refusals.get(device_seq)
    if refused is None:
        raise NotFound(f"There is no refused change #{device_seq} on this desk.")
    if refused.settled_as is not None:
        raise DomainError(f"Refusal #{device_seq} was already dealt with ({refused.settled_as}).")
    return refused


def _who(staff: Staff) -> str:
    return f"{staff.name} ({staff.id})"[:120]


def _view(reader: Reader, rules: VenueRules, r: RefusedChange) -> RefusalView:
    on_booking = r.name == I.CREATE_BOOKING or r.name in BOOKING_ACTIONS
    booking_id = r.entity_id if on_booking and reader.bookings.get(r.entity_id) else None
    return RefusalView(
        r.device_seq,
        _what(reader, rules, r),
        r.reason,
        r.received_at,
        r.name,
        booking_id,
        why_not(reader, r),
    )


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
