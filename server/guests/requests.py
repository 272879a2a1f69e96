"""Answering a guest's request for their data: found, gathered and recorded as asked."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app import protocol as p
from app.domain.data_requests import GuestKey
from app.domain.data_summary import readable
from server import audit_log
from server.guests.data import gather, located
from server.venues.models import Venue

# The audit log's word for it: who was given a guest's data, by which key (not the key's
# value: the log would otherwise keep the phone or email an erasure must remove).
GIVEN = "guest's data given"


def answer(
    session: Session,
    venue_id: uuid.UUID,
    key: GuestKey,
    *,
    asked_by: str,
    now: datetime,
) -> p.GuestData:
    """The document for the guest ``key`` names, recorded in the venue's audit log in the
    same transaction (the caller commits); NotFound if no guest of the venue matches."""
    venue_name, found = located(session, venue_id, key)
    tables = gather(session, venue_id, found)
    for customer_id in found.customer_ids:
        audit_log.record(
            session,
            venue_id,
            event_id=uuid.uuid4(),
            at=now,
            action=GIVEN,
            entity="customer",
            entity_id=customer_id,
            before=None,
            after={"asked_by": asked_by, "found_by": key.by.value},
        )
    venue = session.get(Venue, venue_id)
    assert venue is not None, "located() found the venue"
    return p.GuestData(
        venue_id=venue_id,
        venue_name=venue_name,
        found_by=key.by.value,
        made_at=now,
        made_by=asked_by,
        guest_ids=list(found.customer_ids),
        tables=tables,
        summary=readable(
            tables,
            venue=venue_name,
            made_at=now,
            made_by=asked_by,
            found_by=key.by.value,
            zone=ZoneInfo(venue.timezone),
        ),
    )
