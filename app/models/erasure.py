"""A guest the server erased, forgotten in this desk's own copies as well.

The server erases a guest everywhere it holds them and every desk pulls the erased
record, bookings, messages, refusals and conflicts like any change
(docs/data-protection.md). What only this desk holds is scrubbed here, once, when the
pull first brings the record as erased: its audit events about the guest (each keeping
the hash it was sealed with, and marked, so ``backroom audit verify`` still passes), the
bodies of its answered changes kept for retrying, and its notices. What the desk still
has to send is left as it was sealed: the server refuses any of it that writes the guest
again, and those events are not the server's yet to have scrubbed. When that refusal
comes back after the erasure was pulled (the desk's pushes stuck while its pulls
worked), the refused change is scrubbed as it arrives (``forget_in_refusals``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, false, or_, select
from sqlalchemy.orm import Session

from app.domain.erasure import Traces, erased_booking, scrubbed, unnamed
from app.models import convert
from app.models.sync_tables import SyncNoticeRow, SyncOutcomeRow, SyncShadowRow
from app.models.tables import AuditEventRow, BookingRow, CustomerRow, OutboxRow
from app.protocol import EntityKind


def forget_guest(session: Session, guest: CustomerRow, at: datetime) -> int:
    """Scrub this desk's own copies of ``guest`` (read before the erased record is written
    over it); the number of rows changed."""
    booking_ids = session.scalars(select(BookingRow.id).where(BookingRow.customer_id == guest.id))
    addresses = frozenset(a for a in (guest.phone, guest.email) if a)
    traces = Traces(frozenset({guest.id}), frozenset(booking_ids), addresses)
    ids = traces.customer_ids | traces.booking_ids
    changed = len(scrub_audit(session, traces, at))
    changed += scrub_outcomes(session, traces, ids)
    changed += scrub_notices(session, guest.name, addresses)
    return changed


def forget_in_refusals(session: Session, refused: list[SyncOutcomeRow], at: datetime) -> int:
    """This desk's own changes just refused, where the guest they are about was erased
    here already: nothing of the guest is kept from them either (the refused body, the
    audit events it carried, a new booking kept here in conflict); the rows changed."""
    changed = 0
    guests = {g.id: g for o in refused if (g := _guest_of(session, o.entity_id)) is not None}
    for guest in guests.values():
        if guest.erased_at is None:
            continue
        bookings = session.scalars(
            select(BookingRow).where(BookingRow.customer_id == guest.id)
        ).all()
        traces = Traces(frozenset({guest.id}), frozenset(b.id for b in bookings), frozenset())
        changed += len(scrub_audit(session, traces, at))
        changed += scrub_outcomes(session, traces, traces.customer_ids | traces.booking_ids)
        for b in bookings:
            if session.get(SyncShadowRow, (EntityKind.BOOKING.value, b.id)) is None:
                # A new booking the server refused outright, kept here in conflict.
                convert.fill_booking(b, erased_booking(convert.booking(b)), b.service_day)
                changed += 1
    return changed


def _guest_of(session: Session, entity_id: str) -> CustomerRow | None:
    """The guest a change is about: its own record, or its booking's."""
    guest = session.get(CustomerRow, entity_id)
    if guest is not None:
        return guest
    booking = session.get(BookingRow, entity_id)
    return None if booking is None else session.get(CustomerRow, booking.customer_id)


def _mentions(column: Any, addresses: frozenset[str]) -> Any:
    return or_(false(), *(cast(column, Text).contains(a, autoescape=True) for a in addresses))


def scrub_audit(
    session: Session, traces: Traces, at: datetime, *, unsent_too: bool = False
) -> list[str]:
    """Scrub this desk's audit events about the guest; the ids of those it changed.

    ``unsent_too``: the events carried by changes still in the outbox as well (a desk
    with no server, whose erasure tells the server which it scrubbed); otherwise they
    travel as they were sealed, and the server scrubs its copy if it refuses them."""
    ids = traces.customer_ids | traces.booking_ids
    unsent = frozenset() if unsent_too else _still_to_send(session)
    rows = session.scalars(
        select(AuditEventRow).where(
            or_(
                AuditEventRow.entity_id.in_(ids),
                _mentions(AuditEventRow.before, traces.addresses),
                _mentions(AuditEventRow.after, traces.addresses),
            )
        )
    )
    changed: list[str] = []
    for e in rows:
        if e.id in unsent:
            continue
        owned = e.entity_id in ids
        before, after = (
            scrubbed(e.before, traces, owned=owned),
            scrubbed(e.after, traces, owned=owned),
        )
        if (before, after) != (e.before, e.after):
            e.before, e.after, e.redacted_at = before, after, at
            changed.append(e.id)
    return changed


def _still_to_send(session: Session) -> frozenset[str]:
    """This desk's audit events carried by changes still in its outbox. (An answered
    change has left it, refused or not, though the server's word on its events may come
    with a later pull.)"""
    bodies = session.scalars(select(OutboxRow.body))
    return frozenset(e["id"] for body in bodies for e in json.loads(body).get("audit", []))


def scrub_outcomes(session: Session, traces: Traces, ids: frozenset[str]) -> int:
    rows = session.scalars(
        select(SyncOutcomeRow).where(
            SyncOutcomeRow.body.is_not(None),
            or_(
                SyncOutcomeRow.entity_id.in_(ids), _mentions(SyncOutcomeRow.body, traces.addresses)
            ),
        )
    )
    changed = 0
    for o in rows:
        assert o.body is not None
        body = json.loads(o.body)
        kept = scrubbed(body, traces, owned=o.entity_id in ids)
        if kept != body:
            o.body = json.dumps(kept)
            changed += 1
    return changed


def scrub_notices(session: Session, name: str, addresses: frozenset[str]) -> int:
    named = [name, *addresses]
    rows = session.scalars(
        select(SyncNoticeRow).where(
            or_(
                false(),
                *(SyncNoticeRow.message.contains(n, autoescape=True) for n in named),
                *(cast(SyncNoticeRow.detail, Text).contains(n, autoescape=True) for n in named),
            )
        )
    )
    changed = 0
    for n in rows:
        message = unnamed(n.message, [name], addresses)
        detail = _unnamed_within(n.detail, name, addresses)
        if (message, detail) != (n.message, n.detail):
            n.message, n.detail = message, detail
            changed += 1
    return changed


def _unnamed_within(value: Any, name: str, addresses: frozenset[str]) -> Any:
    if isinstance(value, str):
        return unnamed(value, [name], addresses)
    if isinstance(value, list):
        return [_unnamed_within(v, name, addresses) for v in value]
    if isinstance(value, dict):
        return {k: _unnamed_within(v, name, addresses) for k, v in value.items()}
    return value
