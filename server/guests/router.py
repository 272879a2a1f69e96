"""A guest's data-protection request over HTTP: the venue's admins answer them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from app import protocol as p
from app.domain.data_requests import guest_key
from app.domain.errors import InvalidInput, NotFound
from app.domain.permissions import Action
from server.auth.principals import StaffPrincipal
from server.db import SessionDep
from server.deps import NowDep, require
from server.errors import described, error
from server.guests.requests import answer

router = APIRouter(prefix="/v1/guests", tags=["guests"])


@router.post("/data", responses=described(400, 401, 403, 404, 413))
def guest_data(
    body: p.GuestDataRequest,
    session: SessionDep,
    now: NowDep,
    staff: Annotated[StaffPrincipal, require(Action.ANSWER_DATA_REQUEST)],
) -> p.GuestData:
    """Everything this venue's server holds about the guest with this phone, email or
    booking reference (a POST: the key is kept out of the address and so out of the
    access log). Recorded in the venue's audit log with who asked."""
    try:
        key = guest_key(phone=body.phone, email=body.email, reference=body.reference)
    except InvalidInput as bad:
        raise error(400, str(bad)) from None
    try:
        document = answer(session, staff.venue_id, key, asked_by=staff.name, now=now)
    except NotFound as missing:
        raise error(404, str(missing)) from None
    session.commit()
    return document
