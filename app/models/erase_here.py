"""Forgetting a guest on a desk with no server: its own file is all the venue holds.

What is erased and kept is the domain's (app.domain.erasure), as on the server. The
difference is the journal: everything this desk did is still waiting in its outbox,
sealed in its audit chain, to be uploaded if it ever connects. So its unsent changes
are scrubbed too — their arguments, what they saw, and the audit events they carry,
each of which keeps the hash it was sealed with and is marked ``redacted`` — and the
``erase_guest`` intent journalled after them lists those events, so the server takes
their contents on the erasure's word and both chains still verify
(docs/data-protection.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from app.domain.booking import Booking
from app.domain.erasure import Traces, erased_booking, erased_customer, scrubbed
from app.domain.errors import DomainError
from app.models import convert
from app.models.erasure import scrub_audit, scrub_notices, scrub_outcomes
from app.models.guest_data import Found
from app.models.ledger_tables import DepositLedgerRow
from app.models.link_tables import DepositLinkRow
from app.models.message_tables import GuestMessageRow, GuestReplyRow
from app.models.sync_tables import SyncConflictRow, SyncShadowRow, VenueRefusalRow
from app.models.tables import BookingRow, CustomerRow, OutboxRow
from app.protocol import AnyMutation, Mutation

_MUTATION: TypeAdapter[AnyMutation] = TypeAdapter(Mutation)
_MARKS = 200


@dataclass(frozen=True, slots=True)
class Erasable:
    """The guests a request found that are not erased yet, and all their bookings."""

    guest_ids: tuple[str, ...]
    name: str
    bookings: tuple[Booking, ...]


@dataclass(frozen=True, slots=True)
class ErasedHere:
    booking_ids: tuple[str, ...]
    # This desk's audit events scrubbed (each keeps its sealed hash).
    redacted: tuple[str, ...]
    rows: dict[str, int]


def erasable(session: Session, found: Found) -> Erasable:
    guests = session.scalars(
        select(CustomerRow)
        .where(CustomerRow.id.in_(found.customer_ids), CustomerRow.erased_at.is_(None))
        .order_by(CustomerRow.id)
    ).all()
    ids = tuple(g.id for g in guests)
    bookings = session.scalars(select(BookingRow).where(BookingRow.customer_id.in_(ids))).all()
    name = guests[0].name if guests else ""
    return Erasable(ids, name, tuple(convert.booking(b) for b in bookings))


def erase_here(
    session: Session, found: Found, guest_ids: tuple[str, ...], at: datetime
) -> ErasedHere:
    """Erase ``guest_ids`` (of ``found``) everywhere this desk's file holds them, unsent
    changes included; what was changed, for the intent that says so."""
    guests = session.scalars(select(CustomerRow).where(CustomerRow.id.in_(guest_ids))).all()
    bookings = session.scalars(
        select(BookingRow).where(BookingRow.customer_id.in_(guest_ids))
    ).all()
    traces = Traces(
        customer_ids=frozenset(guest_ids),
        booking_ids=frozenset(b.id for b in bookings),
        addresses=frozenset(found.addresses),
    )
    ids = traces.customer_ids | traces.booking_ids
    rows: dict[str, int] = {}
    for g in guests:
        convert.fill_customer(g, erased_customer(convert.customer(g)), g.venue_id)
        g.erased_at = at
    rows["customer"] = len(guests)
    for b in bookings:
        convert.fill_booking(b, erased_booking(convert.booking(b)), b.service_day)
    rows["booking"] = len(bookings)
    rows.update(_words(session, traces))
    rows["venue_refusal"] = _json_scrubbed(
        session, VenueRefusalRow, "args", VenueRefusalRow.entity_id.in_(ids), traces
    )
    rows["sync_conflict"] = _json_scrubbed(
        session, SyncConflictRow, "detail", SyncConflictRow.booking_id.in_(ids), traces
    )
    rows["sync_shadow"] = _json_scrubbed(
        session, SyncShadowRow, "data", SyncShadowRow.id.in_(ids), traces
    )
    outbox, sent_redacted = _outbox(session, traces)
    rows["outbox"] = outbox
    rows["sync_outcome"] = scrub_outcomes(session, traces, ids)
    names = [g.name for g in guests]
    rows["sync_notice"] = sum(scrub_notices(session, n, traces.addresses) for n in names)
    redacted = scrub_audit(session, traces, at, unsent_too=True)
    rows["audit_event"] = len(redacted)
    return ErasedHere(
        booking_ids=tuple(sorted(traces.booking_ids)),
        redacted=tuple(sorted({*redacted, *sent_redacted})),
        rows={table: n for table, n in rows.items() if n},
    )


def _words(session: Session, traces: Traces) -> dict[str, int]:
    """Words about the guest outside any JSON: staff's notes on their money, the
    messages' addresses and errors, their replies."""
    booked = traces.booking_ids
    counts: dict[str, int] = {}
    for name, model, cleared in (
        ("deposit_ledger", DepositLedgerRow, {"note": ""}),
        ("deposit_requests", DepositLinkRow, {"reason": None}),
        ("guest_messages", GuestMessageRow, {"recipient": "", "last_error": None}),
        ("guest_replies", GuestReplyRow, {"sender": "", "body": ""}),
    ):
        found = session.scalars(select(model).where(model.booking_id.in_(booked))).all()
        for row in found:
            for column, value in cleared.items():
                setattr(row, column, value)
        counts[name] = len(found)
    return counts


def _json_scrubbed(session: Session, model: Any, column: str, where: Any, traces: Traces) -> int:
    changed = 0
    for row in session.scalars(select(model).where(where)):
        kept = scrubbed(getattr(row, column), traces, owned=True)
        if kept != getattr(row, column):
            setattr(row, column, kept)
            changed += 1
    return changed


def _outbox(session: Session, traces: Traces) -> tuple[int, set[str]]:
    """Every unsent change scrubbed of the guest, checked against the wire schema again;
    the number changed and the ids of the audit events they carry that were scrubbed."""
    ids = traces.customer_ids | traces.booking_ids
    # Whatever of the guest a change holds sits beside their record's or booking's id (an
    # argument, an audit snapshot) or is their phone or email: only those bodies are read
    # (all of them for a regular with hundreds of bookings, rather than a query SQLite
    # may find too deep).
    marks = ids | traces.addresses
    named = or_(false(), *(OutboxRow.body.contains(n, autoescape=True) for n in marks))
    query = select(OutboxRow) if len(marks) > _MARKS else select(OutboxRow).where(named)
    changed, redacted = 0, set()
    for row in session.scalars(query):
        body = json.loads(row.body)
        kept, scrubbed_events = _scrubbed_body(body, traces, owned=row.entity_id in ids)
        if kept != body:
            # Never sent (this desk has no server), so no attempt's body is changed.
            try:
                mutation = _MUTATION.validate_json(json.dumps(kept))
            except ValidationError:
                raise DomainError(
                    f"This desk's change #{row.device_seq} ({row.name.replace('_', ' ')}) "
                    "cannot be kept without the guest's words; nothing was erased."
                ) from None
            row.body = mutation.model_dump_json(exclude_unset=True)
            changed += 1
            redacted |= scrubbed_events
    return changed, redacted


def _scrubbed_body(
    body: dict[str, Any], traces: Traces, *, owned: bool
) -> tuple[dict[str, Any], set[str]]:
    """A change's body without the guest: its arguments, what it saw, and the audit
    events it carries (each marked ``redacted``); and those events' ids."""
    ids = traces.customer_ids | traces.booking_ids
    kept = dict(body)
    for part in ("args", "previous"):
        if part in body:
            kept[part] = scrubbed(body[part], traces, owned=owned)
    redacted: set[str] = set()
    events = []
    for event in body.get("audit", []):
        mine = event["entity_id"] in ids
        before = scrubbed(event["before"], traces, owned=mine)
        after = scrubbed(event["after"], traces, owned=mine)
        if (before, after) != (event["before"], event["after"]):
            event = {**event, "before": before, "after": after, "redacted": True}
            redacted.add(event["id"])
        events.append(event)
    if "audit" in body:
        kept["audit"] = events
    return kept, redacted
