"""Keeping every marketing consent record a guest's intent carries (the history).

The guest's row holds the latest per channel (``Customer.consent``, what desks
mirror); ``customer_consents`` keeps each record once, however often desks resend it.
A guest's STOP reply withdraws SMS marketing here too (``withdraw_by_stop``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.domain.consent import ConsentRecord, from_json, merged, to_json, withdrawn_by_stop
from server.sync.models import Customer, CustomerConsent
from server.sync.pipeline import Statement
from server.versioning import bump_version

_INSERT = (
    "INSERT INTO customer_consents (customer_id, channel, at, given, venue_id, wording_id, "
    "wording_version, recorded_by, received_at) VALUES (%(customer)s, %(channel)s, %(at)s, "
    "%(given)s, %(venue)s, %(wording_id)s, %(wording_version)s, %(by)s, %(now)s) "
    "ON CONFLICT DO NOTHING RETURNING 1"
)


def history(
    venue_id: uuid.UUID,
    customer_id: uuid.UUID | str,
    records: Iterable[ConsentRecord],
    now: datetime,
) -> list[Statement]:
    """One INSERT per record, each kept once (a record resent is not a new answer)."""
    customer = customer_id if isinstance(customer_id, uuid.UUID) else uuid.UUID(customer_id)
    return [
        (
            _INSERT,
            {
                "customer": customer,
                "channel": r.channel.value,
                "at": r.at,
                "given": r.given,
                "venue": venue_id,
                "wording_id": r.wording_id,
                "wording_version": r.wording_version,
                "by": r.recorded_by,
                "now": now,
            },
        )
        for r in records
    ]


def withdraw_by_stop(session: Session, venue_id: uuid.UUID, phone: str, at: datetime) -> int:
    """The venue's guests with this number withdraw SMS marketing consent (their STOP
    reply); each changed guest takes the venue's next version, so every desk pulls it.
    Returns how many guests changed. The caller commits."""
    record = withdrawn_by_stop(at)
    guests = list(
        session.scalars(
            select(Customer)
            .where(Customer.venue_id == venue_id, Customer.phone == phone)
            .with_for_update()
        )
    )
    changed = []
    for guest in guests:
        before = from_json(guest.consent)
        session.execute(
            insert(CustomerConsent)
            .values(
                customer_id=guest.id,
                channel=record.channel.value,
                at=record.at,
                given=record.given,
                venue_id=venue_id,
                wording_id=record.wording_id,
                wording_version=record.wording_version,
                recorded_by=record.recorded_by,
                received_at=at,
            )
            .on_conflict_do_nothing()
        )
        after = merged(before, [record])
        if after != before:
            guest.consent = to_json(after)
            changed.append(guest)
    if changed:
        session.flush()
        version = bump_version(session, venue_id)  # last: its lock orders commits
        for guest in changed:
            guest.version, guest.updated_at = version, at
    return len(changed)
