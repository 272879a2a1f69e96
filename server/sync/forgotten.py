"""Nothing of a guest who asked to be forgotten is written again (docs/data-protection.md).

A desk that was offline through the erasure may still send changes made before it: a
new booking or details on the old record (refused by their judges), or words — notes,
requests, a deposit's note or reason, a text — on one of the guest's bookings, refused
here before any judge. Each refusal is ``Forgotten``: every desk is shown what was
refused, with the guest's details and words taken out of it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import protocol as p
from app.domain.erasure import Traces, erased_words, scrubbed
from app.protocol import meaning
from server import audit_log
from server.audit_log import FORGOTTEN_REFUSED
from server.sync.context import Desk, Forgotten, IntentContext, Verdict
from server.sync.models import Booking, Customer


def forgotten(
    erased_at: datetime, zone: ZoneInfo, guest_id: object, booking_ids: Iterable[object] = ()
) -> Forgotten:
    traces = Traces(frozenset({str(guest_id)}), frozenset(str(b) for b in booking_ids), frozenset())
    return Forgotten(erased_words(erased_at, zone), traces)


def scrubbed_events(
    session: Session,
    desk: Desk,
    m: p.AnyMutation,
    verdict: Verdict,
    audit_rows: str | None,
    now: datetime,
) -> str | None:
    """A refused change's audit events (``audit_rows``, as stored) without the forgotten
    guest: each keeps the hash the desk sealed it with, and an event of the venue's server
    chain lists them, as an erasure lists what it scrubbed, so the chains still verify."""
    if verdict.scrub is None or audit_rows is None:
        return audit_rows
    rows = json.loads(audit_rows)
    redacted = []
    for row in rows:
        kept = {k: scrubbed(row[k], verdict.scrub, owned=True) for k in ("before", "after")}
        if kept != {"before": row["before"], "after": row["after"]}:
            row.update(kept)
            redacted.append(row["id"])
    if redacted:
        audit_log.record(
            session,
            desk.venue_id,
            event_id=uuid.uuid4(),
            at=now,
            action=FORGOTTEN_REFUSED,
            entity="customer",
            entity_id=uuid.UUID(min(verdict.scrub.customer_ids)),
            before=None,
            after={"refused": str(m.mutation_id), "redacted": redacted},
        )
    return json.dumps(rows)


def refuse_words_for_the_forgotten(ctx: IntentContext, m: p.AnyMutation) -> None:
    """Refuse an intent that writes words onto a booking whose guest was erased."""
    if not meaning.writes_words(m.args):
        return
    ids = [uuid.UUID(b) for b in meaning.booking_ids(m)]
    erased = ctx.session.execute(
        select(Customer.id, Customer.erased_at)
        .join(Booking, Booking.customer_id == Customer.id)
        .where(Booking.id.in_(ids), Customer.erased_at.is_not(None))
    ).first()
    if erased is not None:
        raise forgotten(erased.erased_at, ctx.rules.venue.tz, erased.id, ids)
