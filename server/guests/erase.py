"""Forgetting a guest at their request, on the server, where every desk learns it.

What is erased and what is kept is the domain's (app.domain.erasure); this applies it
to every table ``server.guests.data.SECTIONS`` lists, in one transaction with the
guest's records and bookings locked: the records and bookings rewritten (desks pull
them as they pull any change), the consent history deleted, the messages' words and
addresses, the guest's texts, refused changes, conflicts' details and the audit log's
copies scrubbed. Each audit event scrubbed keeps the hash it was sealed with, and the
erasure's own event lists them, so every chain still verifies
(``app.domain.audit.verify_chain``'s ``redacted``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app import protocol as p
from app.domain.data_requests import GuestKey
from app.domain.erasure import (
    ERASED_NAME,
    Traces,
    erased_booking,
    erased_customer,
    erasure_refusal,
    scrubbed,
)
from app.domain.errors import DomainError
from server import audit_log
from server.audit_log import ERASED
from server.guests.data import Found, located, mentions
from server.messages.models import InboundSms, OutboxMessage
from server.payments import forget
from server.payments.models import DepositRequest
from server.payments.settle import stamp
from server.sync import store
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import (
    NO_KEY_UPDATE,
    AuditEvent,
    Booking,
    Conflict,
    Customer,
    CustomerConsent,
    Refusal,
)
from server.venues.models import Venue

_UNSENT = ("pending", "sending")


# Where staff wrote words on the guest's money: each table, its model, the column.
_MONEY_WORDS = (
    ("deposit_ledger", DepositLedgerEntry, "note"),
    ("deposit_requests", DepositRequest, "reason"),
)


class NotYet(DomainError):
    """The guest cannot be erased until staff settle what is still open (409)."""


def erase(
    session: Session, venue_id: uuid.UUID, key: GuestKey, *, asked_by: str, now: datetime
) -> p.GuestErased:
    """Erase the guest ``key`` names, in the caller's transaction (the caller commits);
    NotFound if the venue has no such guest, NotYet (changing nothing) while they still
    have a booking or a deposit open."""
    _, found = located(session, venue_id, key)
    done, changed = erase_found(
        session,
        venue_id,
        found,
        asked_by=asked_by,
        found_by=key.by.value,
        now=now,
        erased_already=f"The guest with the {key} was erased already.",
    )
    stamp(session, venue_id, now, changed)
    return done


def erase_found(
    session: Session,
    venue_id: uuid.UUID,
    found: Found,
    *,
    asked_by: str,
    found_by: str,
    now: datetime,
    erased_already: str | None = None,
    subject: uuid.UUID | None = None,
    redacted_by_desk: Sequence[str] = (),
) -> tuple[p.GuestErased, list[object]]:
    """Erase the guests ``found`` (those not erased already); the answer and every row it
    changed, for the caller to stamp with the venue's next version. NotYet, changing
    nothing, while they still have a booking or a deposit open, or with
    ``erased_already`` if there is nobody left to erase.

    A desk's erasure (``erase_guest``) names its ``subject`` (a record the server may
    never have had) and lists ``redacted_by_desk``, its audit events scrubbed before they
    were sent: the erasure's event lists them with the server's own, so its chain still
    verifies."""
    guests = _locked(session, Customer, Customer.id.in_(found.customer_ids), key=True)
    live = [g for g in guests if g.erased_at is None]
    if not live and erased_already is not None:
        raise NotYet(erased_already)
    bookings = _locked(session, Booking, Booking.customer_id.in_(found.customer_ids))
    zone = ZoneInfo(_timezone(session, venue_id))
    named = live[0].name if live else ERASED_NAME
    refused = erasure_refusal(named, [store.booking(b) for b in bookings], zone)
    if refused is not None:
        raise NotYet(refused)
    traces = _traces(found)
    counts: dict[str, int] = {}
    changed: list[object] = []
    for guest in live:
        store.write_customer(guest, erased_customer(store.customer(guest)))
        guest.erased_at = now
    changed += _counted(counts, "customers", live)
    gone = session.execute(
        delete(CustomerConsent).where(CustomerConsent.customer_id.in_(found.customer_ids))
    )
    counts["customer_consents"] = gone.rowcount
    for row in bookings:
        store.write_booking(row, erased_booking(store.booking(row)))
    changed += _counted(counts, "bookings", bookings)
    changed += _counted(counts, "message_outbox", _messages(session, venue_id, found))
    changed += _counted(counts, "message_inbound", _replies(session, venue_id, found))
    changed += _counted(counts, "refusals", _refusals(session, venue_id, found, traces))
    changed += _counted(counts, "conflicts", _conflicts(session, venue_id, found, traces))
    for table, model, column in _MONEY_WORDS:
        changed += _counted(counts, table, _words_cleared(session, venue_id, found, model, column))
    # Their saved cards at Stripe go too, once this commits (server.payments.forget).
    counts["stripe_customer_deletions"] = forget.queue(
        session, venue_id, [b.id for b in bookings], now
    )
    redacted = sorted({*_audit(session, venue_id, found, traces), *redacted_by_desk})
    counts["audit_events"] = len(redacted)
    audit_log.record(
        session,
        venue_id,
        event_id=uuid.uuid4(),
        at=now,
        action=ERASED,
        entity="customer",
        entity_id=subject or found.customer_ids[0],
        before=None,
        after={
            "asked_by": asked_by,
            "found_by": found_by,
            "guests": [str(g.id) for g in live],
            "redacted": redacted,
        },
    )
    done = p.GuestErased(
        venue_id=venue_id,
        guest_ids=[g.id for g in live],
        erased_at=now,
        erased_by=asked_by,
        rows={name: n for name, n in counts.items() if n},
    )
    return done, changed


def _locked(session: Session, model: type[Any], where: Any, key: bool = False) -> list[Any]:
    lock: dict[str, Any] = {} if key else NO_KEY_UPDATE
    return list(session.scalars(select(model).where(where).with_for_update(**lock)))


def _traces(found: Found) -> Traces:
    return Traces(
        customer_ids=frozenset(str(i) for i in found.customer_ids),
        booking_ids=frozenset(str(i) for i in found.booking_ids),
        addresses=frozenset(found.addresses),
    )


def _counted(counts: dict[str, int], table: str, rows: Sequence[object]) -> list[object]:
    counts[table] = len(rows)
    return list(rows)


def _messages(session: Session, venue_id: uuid.UUID, found: Found) -> list[OutboxMessage]:
    rows = _locked(
        session,
        OutboxMessage,
        (OutboxMessage.venue_id == venue_id)
        & or_(
            OutboxMessage.booking_id.in_(found.booking_ids),
            OutboxMessage.recipient.in_(found.addresses),
        ),
    )
    for m in rows:
        m.recipient, m.subject, m.body, m.html, m.last_error = "", None, "", None, None
        if m.status == "pending":
            m.status = "cancelled"  # nothing of theirs is left to send it to
    return rows


def _replies(session: Session, venue_id: uuid.UUID, found: Found) -> list[InboundSms]:
    rows = _locked(
        session,
        InboundSms,
        (InboundSms.venue_id == venue_id)
        & or_(
            InboundSms.booking_id.in_(found.booking_ids),
            InboundSms.from_number.in_(found.phones),
        ),
    )
    for r in rows:
        r.from_number, r.body = "", ""
    return rows


def _refusals(session: Session, venue_id: uuid.UUID, found: Found, traces: Traces) -> list[Refusal]:
    rows = _locked(
        session,
        Refusal,
        (Refusal.venue_id == venue_id)
        & or_(Refusal.entity_id.in_(found.ids), mentions(Refusal.args, found)),
    )
    return _scrub(rows, "args", traces, lambda r: str(r.entity_id) in _ids(traces))


def _conflicts(
    session: Session, venue_id: uuid.UUID, found: Found, traces: Traces
) -> list[Conflict]:
    rows = _locked(
        session,
        Conflict,
        (Conflict.venue_id == venue_id)
        & or_(
            Conflict.booking_id.in_(found.booking_ids),
            Conflict.other_booking_id.in_(found.booking_ids),
        ),
    )
    return _scrub(rows, "detail", traces, lambda c: str(c.booking_id) in traces.booking_ids)


def _scrub(rows: list[Any], column: str, traces: Traces, owned: Callable[[Any], bool]) -> list[Any]:
    """Each row's JSON ``column`` scrubbed of the guest; the rows it changed."""
    changed = []
    for row in rows:
        kept = scrubbed(getattr(row, column), traces, owned=owned(row))
        if kept != getattr(row, column):
            setattr(row, column, kept)
            changed.append(row)
    return changed


def _words_cleared(
    session: Session, venue_id: uuid.UUID, found: Found, model: type[Any], column: str
) -> list[Any]:
    """Staff's words on the guest's money (a ledger entry's note, a refund's reason)
    cleared; the amount, the method, when, and Stripe's ids are the accounts'."""
    words = getattr(model, column)
    rows = _locked(
        session,
        model,
        (model.venue_id == venue_id) & model.booking_id.in_(found.booking_ids) & (words != ""),
    )
    for row in rows:
        setattr(row, column, "")
    return rows


def _audit(session: Session, venue_id: uuid.UUID, found: Found, traces: Traces) -> list[str]:
    """Scrub every audit event about the guest; the ids of those it changed."""
    rows = _locked(
        session,
        AuditEvent,
        (AuditEvent.venue_id == venue_id)
        & or_(
            AuditEvent.entity_id.in_(found.ids),
            mentions(AuditEvent.before, found),
            mentions(AuditEvent.after, found),
        ),
    )
    redacted = []
    for e in rows:
        owned = str(e.entity_id) in _ids(traces)
        before, after = (
            scrubbed(e.before, traces, owned=owned),
            scrubbed(e.after, traces, owned=owned),
        )
        if (before, after) != (e.before, e.after):
            e.before, e.after = before, after
            redacted.append(str(e.id))
    return redacted


def _timezone(session: Session, venue_id: uuid.UUID) -> str:
    venue = session.get(Venue, venue_id)
    assert venue is not None, "located() found the venue"
    return venue.timezone


def _ids(traces: Traces) -> frozenset[str]:
    return traces.customer_ids | traces.booking_ids
