"""A venue's own wording of its guest messages, kept in its settings (``message_wording``)
and set by an admin (``backroom-server venue wording set FILE.json``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.domain.messages.templates import Templates, templates_from_dict
from app.domain.venue import Venue as DomainVenue
from server.venues.models import Venue

KEY = "message_wording"
_DEFAULT = Templates()


def venue_templates(session: Session, venue: DomainVenue) -> Templates:
    """The venue's templates: its own wording where it gave one, else the defaults."""
    row = session.get(Venue, uuid.UUID(str(venue.id)))
    own = (row.settings or {}).get(KEY) if row is not None else None
    return templates_from_dict(own, venue) if own else _DEFAULT


def set_wording(session: Session, venue: DomainVenue, data: Any) -> Templates:
    """Store ``data`` as the venue's wording once every message in it is checked; else
    ``InvalidInput`` says what to put right and nothing is stored."""
    templates = templates_from_dict(data, venue)
    row = session.get(Venue, uuid.UUID(str(venue.id)), with_for_update=True)
    assert row is not None, "the venue was read just now"
    row.settings = {**(row.settings or {}), KEY: dict(data)}
    return templates
