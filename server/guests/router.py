"""A guest's data-protection requests over HTTP: their data, and being forgotten; the
venue's admins answer them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from app import protocol as p
from app.domain.data_requests import GuestKey, guest_key
from app.domain.errors import InvalidInput, NotFound
from app.domain.permissions import Action
from server.auth.principals import StaffPrincipal
from server.db import SessionDep
from server.deps import NowDep, require
from server.errors import described, error
from server.guests.erase import NotYet, erase
from server.guests.requests import answer
from server.payments.forget import forget, waiting

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
    key = _key(body)
    try:
        document = answer(session, staff.venue_id, key, asked_by=staff.name, now=now)
    except NotFound as missing:
        raise error(404, str(missing)) from None
    session.commit()
    return document


@router.post("/erase", responses=described(400, 401, 403, 404, 409, 413))
def erase_guest(
    request: Request,
    body: p.GuestDataRequest,
    session: SessionDep,
    now: NowDep,
    staff: Annotated[StaffPrincipal, require(Action.ANSWER_DATA_REQUEST)],
) -> p.GuestErased:
    """Forget the guest with this phone, email or booking reference, at their request:
    who they are and the words about them, wherever the server kept them; the covers and
    the money stay (docs/data-protection.md). Refused (409, nothing changed) while they
    still have a booking or a deposit open. Every desk pulls the erased rows."""
    key = _key(body)
    try:
        done = erase(session, staff.venue_id, key, asked_by=staff.name, now=now)
    except NotFound as missing:
        raise error(404, str(missing)) from None
    except NotYet as refused:
        raise error(409, str(refused)) from None
    session.commit()
    payments = request.app.state.payments
    if payments is not None and done.rows.get("stripe_customer_deletions"):
        # At once where Stripe answers (this venue's only: an admin's request does not
        # wait on another venue's backlog); else the reconciliation's next pass.
        sessions = request.app.state.sessions
        forget(sessions, payments, waiting(sessions, staff.venue_id))
    return done


def _key(body: p.GuestDataRequest) -> GuestKey:
    try:
        return guest_key(phone=body.phone, email=body.email, reference=body.reference)
    except InvalidInput as bad:
        raise error(400, str(bad)) from None
