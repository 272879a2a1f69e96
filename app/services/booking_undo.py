"""Undo a cancel: the booking back as it was, for a few minutes after this desk cancelled it.

The desk finds the booking as it was just before the cancel in its own journal
(the cancel's audit event) and records an ``undo_cancel`` intent naming that
cancel, through the intent's one meaning (app.domain.kernel.undo), as every
use case does. What only a desk checks here: the window
(``UNDO_CANCEL_MINUTES`` on this desk's clock, from the cancel it made itself),
and the tables free as far as it knows. A waitlist offer the cancel started on
those tables gives way: it is withdrawn in the same unit of work (the table was
never really free), and the notice names the guest so staff can tell them. An
offer already accepted is a booking on the table, so the undo is refused,
naming that guest.
"""

from __future__ import annotations

from datetime import datetime

from app.domain import kernel
from app.domain.allocation import SeatingRequest, first_in_the_way
from app.domain.booking import Booking, BookingStatus
from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.cancels import OwnCancel
from app.models.uow import Reader, Store
from app.protocol import IntentName, UndoCancelArgs
from app.services.common import (
    BookingResult,
    Clock,
    booking_after,
    get_booking,
    get_customer,
    night_bookings,
    save_and_journal,
    seating_words,
    wire,
)
from app.services.held import held_around, refuse_if_held
from app.services.waitlist_offers import WaitlistOffers

S = BookingStatus


def undo_cancel(
    store: Store, clock: Clock, offers: WaitlistOffers | None, staff: Staff, booking_id: str
) -> BookingResult:
    now = clock()
    with store.unit_of_work() as uow:
        rules = uow.venue.get()
        before = get_booking(uow, booking_id)
        customer = get_customer(uow, before.customer_id)
        name = customer.name
        cancel = _own_cancel(uow, before, name)
        kernel.check_undo_window(before, cancel.at, now)
        args = wire(
            UndoCancelArgs,
            cancel_id=cancel.mutation_id,
            status=cancel.before["status"],
            table_ids=list(cancel.before.get("table_ids") or ()),
        )
        # A cancel still waiting for the server is replayed over the row as it is.
        made = before.version if cancel.pending else cancel.version
        after = booking_after(
            uow, rules, staff, now, before, args, cancel_version_of=lambda _id: made
        )
        if after.holds_tables:
            _refuse_if_taken(uow, rules, after, name, now)
        save_and_journal(uow, rules, staff, now, IntentName.UNDO_CANCEL, before, after, args)
        events = offers.after_status_change(uow, rules, before, after, now) if offers else ()
        uow.commit()
    withdrawn = offers.news(events) if offers and events else ""
    where = f", back at {seating_words(rules, after)}" if after.holds_tables else ""
    if after.status is S.WAITLISTED:
        where = ", back on the waitlist"
    return BookingResult(
        after,
        customer,
        f"Cancel undone: {name}, party of {after.party_size}{where}. {withdrawn}".strip(),
    )


def _own_cancel(reader: Reader, b: Booking, name: str) -> OwnCancel:
    cancel = reader.cancels.last_of(b.id)
    if cancel is None:
        raise DomainError(
            f"This desk has no cancel of {name}'s booking {format_reference(b.reference)} "
            "to undo (a cancel is undone on the desk that made it)."
        )
    if cancel.undone:
        raise DomainError(f"The cancel of {name}'s booking was already undone.")
    return cancel


def _refuse_if_taken(
    reader: Reader, rules: VenueRules, after: Booking, name: str, now: datetime
) -> None:
    """Its tables must be free as far as this desk knows; another desk's hold counts, this
    desk's own waitlist offer (made because of the cancel) gives way."""
    request = SeatingRequest(
        after.party_size, after.start, after.duration_minutes, booking_id=after.id
    )
    other = first_in_the_way(night_bookings(reader, rules, after.start), after.table_ids, request)
    if other is not None:
        guest = reader.customers.get(other.customer_id)
        who = (
            f"{guest.name} ({other.party_size})"
            if guest
            else f"booking {format_reference(other.reference)}"
        )
        venue = rules.venue
        raise DomainError(
            f"Table {rules.plan.numbers(after.table_ids)} has been booked since by {who} "
            f"from {venue.show_time(other.start)} to {venue.show_time(other.end)}, so "
            f"{name}'s booking cannot be put back; it stays cancelled. Book them again "
            "at another table or time."
        )
    held = [h for h in held_around(reader, rules, after.start, now) if not h.offer]
    refuse_if_held(rules, held, after.table_ids, request)
