"""A venue's own wording of its guest messages, kept in its settings (``message_wording``)
and set by an admin (``backroom-server venue wording set FILE.json``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.domain.messages.templates import Templates, templates_from_dict
from app.domain.rules import VenueRules
from app.domain.venue import Venue as DomainVenue
from server.venues.models import Venue

KEY = "message_wording"
_DEFAULT = Templates()
# Each venue's templates beside the rules they were read with. ``venue_rules`` hands out
# the same rules object until a venue's settings (the wording among them) change, having
# checked them in the caller's transaction, so while the caller's rules are the ones
# kept here the wording is too — and a push reads the venue's row once, not twice.
_kept: dict[uuid.UUID, tuple[VenueRules, Templates]] = {}


def venue_templates(session: Session, rules: VenueRules) -> Templates:
    """The venue's templates: its own wording where it gave one, else the defaults.
    ``rules`` is what ``server.venues.service.venue_rules`` gave in this transaction."""
    venue_id = uuid.UUID(str(rules.venue.id))
    kept = _kept.get(venue_id)
    if kept is not None and kept[0] is rules:
        return kept[1]
    row = session.get(Venue, venue_id)
    own = (row.settings or {}).get(KEY) if row is not None else None
    templates = templates_from_dict(own, rules.venue) if own else _DEFAULT
    _kept[venue_id] = (rules, templates)
    return templates


def set_wording(session: Session, venue: DomainVenue, data: Any) -> Templates:
    """Store ``data`` as the venue's wording once every message in it is checked; else
    ``InvalidInput`` says what to put right and nothing is stored."""
    templates = templates_from_dict(data, venue)
    # FOR NO KEY UPDATE: the pushes' foreign keys to the venue's row need not wait for it.
    row = session.get(Venue, uuid.UUID(str(venue.id)), with_for_update={"key_share": True})
    assert row is not None, "the venue was read just now"
    row.settings = {**(row.settings or {}), KEY: dict(data)}
    return templates
