"""Putting guest messages in the outbox, in the caller's transaction.

``enqueue`` is the one door: the judge of an intent (server/sync) calls it inside the
intent's transaction, so a message exists if and only if the change that caused it
committed. It renders nothing and sends nothing; the worker (server.messages.sender)
sends after commit.

Every row these functions add or change is a row the venue's desks mirror, so it must
take the venue's next version in the same transaction. Inside a push the outcome
statement stamps them (``changed_in``, read by server.sync.outcome; the push path's own
rows, server.sync.guest_messages, are stamped as they are written); anywhere else (the
sender, a delivery report, a reply) the caller ends its transaction with ``stamp``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.domain.consent import Channel, ConsentRecord, may_send_marketing
from app.domain.messages.reminders import DEFAULT_HOURS, reminders
from app.domain.messages.templates import Rendered
from app.domain.messages.wording import TemplateName
from server.messages.models import OutboxMessage, Suppression
from server.versioning import bump_version

# Where a session keeps the ids of the messages it added or changed, to be stamped.
_CHANGED = "message_outbox_changed"


def changed(session: Session, ids: Iterable[uuid.UUID]) -> None:
    """Remember messages this transaction added or changed, for the version stamp."""
    session.info.setdefault(_CHANGED, set()).update(ids)


def changed_in(session: Session) -> set[uuid.UUID]:
    """The messages this transaction added or changed (and forgets them: stamped once)."""
    found: set[uuid.UUID] = session.info.pop(_CHANGED, set())
    return found


def stamp(session: Session, venue_id: uuid.UUID, ids: Iterable[uuid.UUID], now: datetime) -> None:
    """Outside a push: the messages changed take the venue's next version (taken last in
    the transaction: its row lock orders commits, server.versioning)."""
    ids = list(ids)
    if not ids:
        return
    version = bump_version(session, venue_id)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(version=version, updated_at=now)
        .execution_options(synchronize_session=False)
    )


# A message the sender has marked and not yet stamped with the venue's version (no desk
# pulls it until it is: ``stamp_unstamped``).
UNSTAMPED = -1


def stamp_unstamped(session: Session, venue_id: uuid.UUID) -> None:
    """The venue's marked, unstamped messages take its next version (taken first, then the
    rows: the order a push takes them in, so the two never deadlock)."""
    waiting = select(OutboxMessage.id).where(
        OutboxMessage.venue_id == venue_id, OutboxMessage.version == UNSTAMPED
    )
    if session.scalar(waiting.limit(1)) is None:
        return
    version = bump_version(session, venue_id)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.venue_id == venue_id, OutboxMessage.version == UNSTAMPED)
        .values(version=version)
        .execution_options(synchronize_session=False)
    )


def idempotency_key(cause: str, template: str, channel: str) -> str:
    """One message per cause, template and channel: a push retried, or a judge run twice
    for one mutation, enqueues nothing new."""
    return f"{cause}:{template}:{channel}"


def enqueue(
    session: Session,
    *,
    venue_id: uuid.UUID,
    booking_id: uuid.UUID | None,
    cause: str,
    rendered: Rendered,
    email: str | None,
    phone: str | None,
    due_at: datetime,
    consent: Iterable[ConsentRecord] = (),
) -> list[uuid.UUID]:
    """Queue ``rendered`` to the guest's email and phone (whichever they gave), to be sent
    from ``due_at``. ``cause`` names what caused it: the intent's mutation id, or for a
    reminder ``reminder-24h:<booking id>``. Returns the ids of the messages added (none
    when this cause was already queued). Call it inside the causing transaction.

    A marketing message goes only to the channels the guest's ``consent`` (their latest
    records) allows; a transactional one needs none."""
    return add_rows(
        session,
        rows(
            venue_id=venue_id,
            booking_id=booking_id,
            cause=cause,
            rendered=rendered,
            email=email,
            phone=phone,
            due_at=due_at,
            consent=consent,
        ),
    )


def rows(
    *,
    venue_id: uuid.UUID,
    booking_id: uuid.UUID | None,
    cause: str,
    rendered: Rendered,
    email: str | None,
    phone: str | None,
    due_at: datetime,
    consent: Iterable[ConsentRecord] = (),
) -> list[dict[str, Any]]:
    """The outbox rows ``enqueue`` adds (one per channel the guest gave and, for a
    marketing message, consented to), for a caller that writes them in a statement of its
    own (the push path's outcome statement)."""
    records = tuple(consent)

    def allowed(channel: Channel) -> bool:
        return not rendered.marketing or may_send_marketing(records, channel)

    channels = []
    if email and allowed(Channel.EMAIL):
        # Rendered with email=False (app.domain.messages.templates) has no email to send.
        assert rendered.text, "an email row from a message rendered without its email"
        channels.append(_row("email", email, rendered.subject, rendered.text, rendered.html))
    if phone and allowed(Channel.SMS):
        channels.append(_row("sms", phone, None, rendered.sms, None))
    return [
        row
        | {
            "id": uuid.uuid4(),
            "venue_id": venue_id,
            "booking_id": booking_id,
            "idempotency_key": idempotency_key(cause, rendered.template.value, row["channel"]),
            "template": rendered.template.value,
            "status": "pending",
            "attempts": 0,
            "due_at": due_at,
        }
        for row in channels
    ]


def _row(
    channel: str, recipient: str, subject: str | None, body: str, html: str | None
) -> dict[str, object]:
    return {
        "channel": channel,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "html": html,
    }


def cancel_pending(
    session: Session, booking_id: uuid.UUID, templates: Iterable[str] | None = None
) -> int:
    """Messages of a booking not yet sent are not sent (a reminder of a cancelled
    booking). Returns how many were cancelled."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.booking_id == booking_id, OutboxMessage.status == "pending")
        .values(status="cancelled", updated_at=func.now())
        .returning(OutboxMessage.id)
    )
    if templates is not None:
        statement = statement.where(OutboxMessage.template.in_(list(templates)))
    cancelled = list(session.scalars(statement))
    changed(session, cancelled)
    return len(cancelled)


def suppress(
    session: Session, venue_id: uuid.UUID, channel: str, recipient: str, reason: str, at: datetime
) -> None:
    session.execute(
        insert(Suppression)
        .values(venue_id=venue_id, channel=channel, recipient=recipient, reason=reason, since=at)
        .on_conflict_do_nothing()
    )


def unsuppress(session: Session, venue_id: uuid.UUID, channel: str, recipient: str) -> None:
    session.execute(
        delete(Suppression).where(
            Suppression.venue_id == venue_id,
            Suppression.channel == channel,
            Suppression.recipient == recipient,
        )
    )


def is_suppressed(session: Session, venue_id: uuid.UUID, channel: str, recipient: str) -> bool:
    return suppressed_because(session, venue_id, channel, recipient) is not None


def suppressed_because(
    session: Session, venue_id: uuid.UUID, channel: str, recipient: str
) -> Suppression | None:
    """Why and since when this address must not be sent to, if it must not."""
    return session.scalars(
        select(Suppression).where(
            Suppression.venue_id == venue_id,
            Suppression.channel == channel,
            Suppression.recipient == recipient,
        )
    ).first()


# What the provider's delivery report means for a message (Twilio's MessageStatus).
REPORTED = {"delivered": "delivered", "failed": "failed", "undelivered": "failed"}


def apply_report(
    session: Session,
    message_id: uuid.UUID,
    provider_id: str,
    reported: str,
    error: str | None,
    at: datetime,
) -> bool:
    """A delivery report for our message ``message_id`` (the status callback's URL names
    it, so a report that overtakes the worker's own "sent" mark still finds it; that
    mark never undoes it). False when no such message was sent under ``provider_id``.
    A report that changes the message stamps it with the venue's next version."""
    status = REPORTED.get(reported)
    venue_id = session.scalar(select(OutboxMessage.venue_id).where(OutboxMessage.id == message_id))
    if status is not None and venue_id is not None:
        # The version before the message, as a push takes them (server/messages/sender.py).
        version = bump_version(session, venue_id)
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None or row.channel != "sms" or row.provider_id not in (None, provider_id):
        return False
    if status is None or row.status in ("delivered", "failed"):
        return True  # queued/sent/... says nothing new; a final report stands
    row.status, row.provider_id = status, provider_id
    row.version, row.updated_at = version, at
    if status == "delivered":
        row.delivered_at = at
    else:
        row.last_error = f"the provider reported {reported}" + (f" ({error})" if error else "")
    return True


def schedule_reminders(
    session: Session,
    *,
    venue_id: uuid.UUID,
    booking_id: uuid.UUID,
    start: datetime,
    party_size: int,
    now: datetime,
    rendered: Rendered,
    email: str | None,
    phone: str | None,
    hours: tuple[int, ...] = DEFAULT_HOURS,
) -> list[uuid.UUID]:
    """(Re)schedules a booking's reminders in the caller's transaction: the unsent ones
    of an earlier time or party size are cancelled, those of ``start`` and ``party_size``
    queued (none already past). Call it when a booking is made, moved or resized;
    ``cancel_pending`` when it is cancelled."""
    keep, due = reminder_rows(
        venue_id=venue_id,
        booking_id=booking_id,
        start=start,
        party_size=party_size,
        now=now,
        rendered=rendered,
        email=email,
        phone=phone,
        hours=hours,
    )
    cancel_reminders_besides(session, booking_id, keep)
    return add_rows(session, due)


def cancel_reminders_besides(session: Session, booking_id: uuid.UUID, keep: list[str]) -> None:
    """The booking's unsent reminders are cancelled, but for those keyed ``keep``."""
    cancelled = session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.booking_id == booking_id,
            OutboxMessage.status == "pending",
            OutboxMessage.template == TemplateName.REMINDER.value,
            OutboxMessage.idempotency_key.not_in(keep),
        )
        .values(status="cancelled", updated_at=func.now())
        .returning(OutboxMessage.id)
    )
    changed(session, cancelled)


def reminder_rows(
    *,
    venue_id: uuid.UUID,
    booking_id: uuid.UUID,
    start: datetime,
    party_size: int,
    now: datetime,
    rendered: Rendered,
    email: str | None,
    phone: str | None,
    hours: tuple[int, ...] = DEFAULT_HOURS,
) -> tuple[list[str], list[dict[str, Any]]]:
    """The keys of the reminders ``start`` and ``party_size`` keep (any other unsent
    reminder of the booking is cancelled), and the rows to add for them."""
    due = reminders(str(booking_id), start, party_size, now, hours)
    template = TemplateName.REMINDER.value
    keep = [idempotency_key(r.cause, template, ch) for r in due for ch in ("email", "sms")]
    added = [
        row
        for r in due
        for row in rows(
            venue_id=venue_id,
            booking_id=booking_id,
            cause=r.cause,
            rendered=rendered,
            email=email,
            phone=phone,
            due_at=r.due_at,
        )
    ]
    return keep, added


def add_rows(session: Session, values: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
    """Insert outbox ``rows``; a key already queued adds nothing (but a cancelled
    reminder due again, ``REVIVABLE``). The ids added."""
    added = []
    for row in values:
        statement = insert(OutboxMessage).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["idempotency_key"],
            set_={name: statement.excluded[name] for name in REVIVED},
            where=REVIVABLE,
        ).returning(OutboxMessage.id)
        found = session.execute(statement).scalar_one_or_none()
        if found is not None:
            added.append(found)
    changed(session, added)
    return added


# A reminder cancelled when its booking was cancelled or moved away comes back when the
# booking does (an undone cancel, a move back to that time): its key names the time,
# so it is the same reminder, due again. Nothing else is ever queued twice.
REVIVABLE = (OutboxMessage.status == "cancelled") & (
    OutboxMessage.template == TemplateName.REMINDER.value
)
REVIVED = ("status", "subject", "body", "html", "due_at", "updated_at")
