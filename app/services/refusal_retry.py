"""Sending a refused change again: a new intent with the same meaning, made from today's desk.

The refused intent's stored body says what staff asked for; nothing of it is
resent as it was. A retry is a new intent (new mutation id, the next
``device_seq``, the booking's current version as its base, the retrying staff
member as its author, no stale hold token), built through the same meaning the
use cases use (``app.protocol.meaning``) on the booking as this desk has it now,
and checked the way the use cases check: tables free as far as this desk knows,
nothing held. If that check already refuses it, the reason is said and nothing
changes. An amendment is a retry of a refused new booking with some fields
changed by staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.booking import Booking
from app.domain.errors import DomainError
from app.domain.limits import check_booking_text, check_duration, check_party_size
from app.domain.packages import as_kept
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.sync_repositories import RefusedChange
from app.models.uow import Reader, UnitOfWork
from app.protocol import CreateBookingArgs, EditDetailsArgs, meaning
from app.protocol import IntentName as I
from app.protocol.codec import customer_data
from app.services.booking_edit import refuse_if_taken
from app.services.common import booking_after, get_booking, judging, save_and_journal, wire

# The booking intents a desk can rebuild from what staff asked; others are made again.
RETRYABLE = frozenset(
    {I.CREATE_BOOKING, I.MOVE_BOOKING, I.EDIT_DETAILS, I.SET_STATUS, I.CANCEL, I.RECORD_SPEND}
)


class CannotRetry(DomainError):
    """The change cannot be sent again as it is; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Amendment:
    """What staff changed of a refused new booking before sending it again."""

    party_size: int | None = None
    start: datetime | None = None
    duration_minutes: int | None = None
    table_ids: tuple[str, ...] | None = None
    occasion: str | None = None
    special_requests: str | None = None
    notes: str | None = None

    def fields(self) -> dict[str, Any]:
        given = {
            "party_size": self.party_size,
            "start": self.start,
            "duration_minutes": self.duration_minutes,
            "table_ids": None if self.table_ids is None else list(self.table_ids),
            "occasion": self.occasion,
            "special_requests": self.special_requests,
            "notes": self.notes,
        }
        return {name: value for name, value in given.items() if value is not None}


def why_not(reader: Reader, refused: RefusedChange) -> str | None:
    """Why this refusal cannot be retried at all (before anything is rebuilt), or None."""
    if refused.settled_as is not None:
        return f"Refusal #{refused.device_seq} was already dealt with ({refused.settled_as})."
    if refused.name == I.UNDO_CANCEL:
        return (
            "An undo is not sent again: the booking stays cancelled. If the guest is still "
            "coming, make the booking again, then discard this refusal."
        )
    if refused.name not in RETRYABLE:
        return (
            "This kind of change cannot be sent again from here: make it again the usual "
            "way, then discard this refusal."
        )
    if refused.body is None:
        return (
            "This change was refused before the desk kept refused changes, so it cannot be "
            "sent again: make it again (or amend the booking), then discard this refusal."
        )
    if reader.bookings.get(refused.entity_id) is None:
        return "That booking is no longer on this desk."
    if still_sending(reader, refused.entity_id):
        return (
            "Changes to this booking are still waiting for the server's answer; "
            "try again once they have one."
        )
    return None


def still_sending(reader: Reader, booking_id: str) -> bool:
    """Whether an intent about this booking is still in the outbox."""
    return any(
        booking_id == str(m.entity_id) or booking_id in meaning.booking_ids(m)
        for m in reader.outbox.pending()
    )


def retried(
    uow: UnitOfWork,
    rules: VenueRules,
    staff: Staff,
    now: datetime,
    refused: RefusedChange,
    amendment: Amendment | None = None,
) -> Booking:
    """Record the refused change again as a new intent; the booking it leaves."""
    problem = why_not(uow, refused)
    if problem is not None:
        raise CannotRetry(problem)
    assert refused.body is not None
    asked = meaning.parse(refused.body).args
    name = I(refused.name)
    if name is I.CREATE_BOOKING:
        assert isinstance(asked, CreateBookingArgs)
        return created_again(uow, rules, staff, now, refused.entity_id, asked, amendment)
    if amendment is not None:
        raise CannotRetry("Only a refused new booking is amended here; edit the booking instead.")
    before = get_booking(uow, refused.entity_id)
    args: Any = asked
    if isinstance(asked, EditDetailsArgs):
        args = _still_different(before, asked)
    elif "fencing_token" in type(asked).model_fields:
        # The hold the refused change carried is long gone.
        args = asked.model_copy(update={"fencing_token": None})
    after = booking_after(uow, rules, staff, now, before, args)
    if name in (I.MOVE_BOOKING, I.SET_STATUS) and after.holds_tables:
        refuse_if_taken(uow, rules, after, now)
    save_and_journal(uow, rules, staff, now, name, before, after, args)
    return after


def _still_different(before: Booking, asked: EditDetailsArgs) -> EditDetailsArgs:
    changes = {
        n: v for n, v in asked if v is not None and getattr(before, n, None) != _as_kept(n, v)
    }
    if not changes:
        raise CannotRetry(
            f"Booking {format_reference(before.reference)} already has these details; "
            "there is nothing to send."
        )
    return EditDetailsArgs(**changes)


def _as_kept(name: str, value: object) -> object:
    """An edit's value as the booking keeps it."""
    return as_kept(str(value)) if name == "package_id" else value


def created_again(
    uow: UnitOfWork,
    rules: VenueRules,
    staff: Staff,
    now: datetime,
    booking_id: str,
    asked: CreateBookingArgs,
    amendment: Amendment | None,
) -> Booking:
    if uow.refusals.server_knows_booking(booking_id):
        raise CannotRetry("The server has this booking now; there is nothing to send again.")
    customer = uow.customers.get(str(asked.customer.id))
    fields = asked.model_dump(mode="python", exclude_none=True)
    fields.update(
        fencing_token=None,
        customer=customer_data(customer) if customer is not None else asked.customer,
        **(amendment.fields() if amendment else {}),
    )
    args = wire(CreateBookingArgs, **fields)
    check_party_size(args.party_size, rules.plan.largest_party())
    check_duration(args.duration_minutes)
    rules.venue.check_open(args.start, args.duration_minutes)
    if amendment is not None and amendment.start is not None:
        # A new time is a booking made now; the time first asked keeps its own standing.
        rules.venue.check_bookable_when(amendment.start, now)
    check_booking_text(args.occasion, args.special_requests, args.notes)
    for action in meaning.required_actions(args, None):
        staff.require(action)
    if args.table_ids:
        rules.plan.check_seating([str(t) for t in args.table_ids], args.party_size)
    booking = meaning.created(judging(uow, rules, staff, now), args, booking_id, rules.venue.id)
    if booking.holds_tables:
        refuse_if_taken(uow, rules, booking, now)
    save_and_journal(uow, rules, staff, now, I.CREATE_BOOKING, None, booking, args)
    return booking
