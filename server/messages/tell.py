"""What a change to a booking tells its guest: the outbox rows to add and to cancel.

``plan`` asks the domain's one rule (app.domain.messages.causes) which messages the
change causes and what becomes of the booking's reminders, renders them with the
venue's templates and the booking's facts, and returns a ``Told``: rows to add and
bookings whose unsent messages are cancelled. The caller writes it in the causing
transaction: ``write`` through the ORM session (payments, replies, the expiry release),
or as statements of the push path's last round trip (server.sync.guest_messages).

Nothing is queued for a guest who gave neither an email nor a phone number.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain.booking import Booking
from app.domain.messages.causes import Reminders, causes, reminders_after
from app.domain.messages.facts import Facts, fields
from app.domain.messages.templates import Templates
from app.domain.messages.wording import TemplateName
from app.domain.packages import package_words
from app.domain.rules import VenueRules
from server.messages import outbox
from server.messages.wording import venue_templates
from server.sync.models import Customer
from server.venues.service import venue_rules


@dataclass(frozen=True, slots=True)
class Guest:
    name: str
    email: str | None
    phone: str | None

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.phone)


def guest_of(row: Customer | None) -> Guest | None:
    if row is None:
        return None
    return Guest(row.name, row.email or None, row.phone or None)


@dataclass(frozen=True, slots=True)
class Deposit:
    """What a deposit message says besides the booking: its link, deadline or refund."""

    link: str | None = None
    short_link: str | None = None
    deadline: datetime | None = None
    refund_pence: int = 0
    # Why the venue cancelled (said in the email).
    reason: str | None = None


NO_DEPOSIT = Deposit()
# Where a venue's own wording is kept is not decided yet (docs/messages.md).
DEFAULT_TEMPLATES = Templates()


@dataclass(slots=True)
class Told:
    # Outbox rows to add (outbox.rows); a key already queued adds nothing.
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Bookings whose unsent messages are all cancelled, before the rows are added.
    cancel: list[uuid.UUID] = field(default_factory=list)
    # Bookings whose unsent reminders are cancelled, except those with these keys.
    reminders_kept: list[tuple[uuid.UUID, list[str]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows or self.cancel or self.reminders_kept)


def plan(
    told: Told,
    *,
    rules: VenueRules,
    intent: str,
    cause: str,
    before: Booking | None,
    after: Booking | None,
    guest: Callable[[], Guest | None],
    now: datetime,
    deposit: Deposit = NO_DEPOSIT,
    templates: Templates = DEFAULT_TEMPLATES,
    hours: tuple[int, ...] | None = None,
) -> None:
    """Add to ``told`` what ``intent`` (named ``cause``: its mutation id, or the
    provider's id for a payment) taking ``before`` to ``after`` tells the guest.
    ``guest`` gives the booking's guest; it is called only if there is something to say."""
    if after is None:
        return
    booking_id = uuid.UUID(after.id)
    venue_id = uuid.UUID(after.venue_id)
    reminding = reminders_after(before, after)
    if reminding is Reminders.CANCEL:
        told.cancel.append(booking_id)
    names = causes(intent, before, after, now)
    if not (names or reminding is Reminders.SCHEDULE):
        return
    who = guest()  # read only when there is something to say
    if who is None or not who.reachable:
        return
    facts = Facts(
        venue=rules.venue,
        guest_name=who.name,
        reference=after.reference,
        start=after.start,
        party_size=after.party_size,
        previous_start=before.start if before is not None else None,
        deposit_pence=after.deposit_pence,
        refund_pence=deposit.refund_pence,
        link=deposit.link,
        short_link=deposit.short_link,
        deadline=deposit.deadline,
        reason=deposit.reason,
        package=package_words(rules.deposits, after),
    )
    values = fields(facts)
    for name in names:
        told.rows += outbox.rows(
            venue_id=venue_id,
            booking_id=booking_id,
            cause=cause,
            rendered=templates.render(name, facts, values, email=bool(who.email)),
            email=who.email,
            phone=who.phone,
            due_at=now,
        )
    if reminding is Reminders.SCHEDULE:
        keep, rows = outbox.reminder_rows(
            venue_id=venue_id,
            booking_id=booking_id,
            start=after.start,
            party_size=after.party_size,
            now=now,
            rendered=templates.render(TemplateName.REMINDER, facts, values, email=bool(who.email)),
            email=who.email,
            phone=who.phone,
            # The venue's own reminder hours (its settings), unless the caller says.
            hours=hours if hours is not None else rules.venue.reminder_hours,
        )
        if before is not None:  # a new booking has no reminders of another time
            told.reminders_kept.append((booking_id, keep))
        told.rows += rows


def write(session: Session, told: Told, venue_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """``told`` in the caller's transaction (cancels first), outside a push: the rows
    added or cancelled take the venue's next version here, so every desk pulls them
    while they wait to be sent. The ids of the rows added."""
    for booking_id in told.cancel:
        outbox.cancel_pending(session, booking_id)
    for booking_id, keep in told.reminders_kept:
        outbox.cancel_reminders_besides(session, booking_id, keep)
    added = outbox.add_rows(session, told.rows)
    outbox.stamp(session, venue_id, outbox.changed_in(session), now)
    return added


def tell_now(
    session: Session,
    *,
    intent: str,
    cause: str,
    before: Booking | None,
    after: Booking,
    now: datetime,
    deposit: Deposit = NO_DEPOSIT,
) -> list[uuid.UUID]:
    """What a change the server made itself (a payment, a refund, a link, a release, a
    reply) tells the guest, queued in the caller's transaction. The ids queued."""
    rules = venue_rules(session, uuid.UUID(after.venue_id))
    if rules is None:
        return []
    told = Told()
    plan(
        told,
        rules=rules,
        intent=intent,
        cause=cause,
        before=before,
        after=after,
        guest=lambda: guest_of(session.get(Customer, uuid.UUID(after.customer_id))),
        now=now,
        deposit=deposit,
        templates=venue_templates(session, rules),
    )
    return write(session, told, uuid.UUID(after.venue_id), now)
