"""What a new desk reads from the server before it holds a venue of its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from sqlalchemy import select

from app import protocol as p
from app.domain.permissions import Action
from server.auth.principals import StaffPrincipal
from server.db import SessionDep
from server.deps import require
from server.errors import described
from server.venues.models import Venue

router = APIRouter(prefix="/v1", tags=["venues"])


@router.get("/venues")
def list_venues(session: SessionDep) -> list[p.VenueListing]:
    """The venues on this server, by name (no sign-in): a new desk picks its own with them,
    then signs in to it. Names only; nothing about staff, desks or guests."""
    rows = session.execute(select(Venue.id, Venue.name).order_by(Venue.name)).all()
    return [p.VenueListing(id=row.id, name=row.name) for row in rows]


@router.get("/venue", responses=described(401, 403))
def venue_settings(
    session: SessionDep, staff: Annotated[StaffPrincipal, require(Action.REGISTER_DESK)]
) -> p.VenueSettings:
    """The venue's settings, for a new desk connecting to it (a manager's or admin's sign-in);
    its plan, staff and bookings then come by the desk's first sync."""
    venue = session.get(Venue, staff.venue_id)
    assert venue is not None  # a staff token belongs to a venue that exists
    return p.VenueSettings(id=venue.id, name=venue.name, settings=dict(venue.settings))
