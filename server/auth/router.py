"""Sign-in, desk registration and staff management."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Request

from app import protocol as p
from app.domain.permissions import Action
from server.auth import service
from server.auth.principals import StaffPrincipal
from server.db import SessionDep
from server.deps import NowDep, SettingsDep, require
from server.errors import described

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/login", responses=described(400, 401, 413, 429))
def login(
    body: p.LoginRequest, request: Request, session: SessionDep, settings: SettingsDep, now: NowDep
) -> p.LoginResponse:
    """Sign a staff member in; the token lasts one shift (BACKROOM_STAFF_TOKEN_MINUTES).

    Too many wrong passwords get 429 with Retry-After (docs/server.md).
    """
    client = request.client.host if request.client else "unknown"
    return service.login(session, settings, now, body, client)


@router.post("/devices", status_code=201, responses=described(400, 401, 403, 409, 413))
def register_device(
    body: p.DeviceRegistration,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    staff: Annotated[StaffPrincipal, require(Action.REGISTER_DESK)],
) -> p.DeviceToken:
    """Register a desk once (manager or admin); its token is shown only in this answer."""
    return service.register_device(session, settings, now, staff, body)


@router.get("/venue/summary", responses=described(401, 403))
def venue_summary(
    session: SessionDep, staff: Annotated[StaffPrincipal, require(Action.REGISTER_DESK)]
) -> p.VenueSummary:
    """What the server holds for this venue, shown on a desk before it first connects."""
    return service.venue_summary(session, staff.venue_id)


@router.get("/devices", responses=described(401, 403))
def list_devices(
    session: SessionDep, staff: Annotated[StaffPrincipal, require(Action.MANAGE_DESKS)]
) -> list[p.DeviceInfo]:
    return service.list_devices(session, staff.venue_id)


@router.post("/devices/{device_id}/revoke", responses=described(401, 403, 404))
def revoke_device(
    device_id: uuid.UUID,
    session: SessionDep,
    now: NowDep,
    staff: Annotated[StaffPrincipal, require(Action.MANAGE_DESKS)],
) -> p.DeviceInfo:
    """Revoke a desk's token at once (a stolen laptop); it must be registered again."""
    return service.revoke_device(session, now, staff.venue_id, device_id)


@router.post("/devices/{device_id}/ceiling", responses=described(400, 401, 403, 404, 413))
def set_ceiling(
    device_id: uuid.UUID,
    body: p.DeviceCeiling,
    session: SessionDep,
    staff: Annotated[StaffPrincipal, require(Action.MANAGE_DESKS)],
) -> p.DeviceInfo:
    """Set the highest role a desk may act for (admin): its intents naming anyone above are
    refused, so a desk in the wrong hands cannot act as an admin."""
    return service.set_ceiling(session, staff.venue_id, device_id, body.role_ceiling)


@router.post("/staff", status_code=201, responses=described(400, 401, 403, 409, 413))
def create_staff(
    body: p.NewStaff,
    session: SessionDep,
    now: NowDep,
    staff: Annotated[StaffPrincipal, require(Action.MANAGE_STAFF)],
) -> p.StaffInfo:
    return service.create_staff(session, now, staff.venue_id, body)


@router.get("/staff", responses=described(401, 403))
def list_staff(
    session: SessionDep, staff: Annotated[StaffPrincipal, require(Action.SEE_STAFF)]
) -> list[p.StaffInfo]:
    return service.list_staff(session, staff.venue_id)


@router.post("/staff/{staff_id}/deactivate", responses=described(401, 403, 404, 409))
def deactivate_staff(
    staff_id: uuid.UUID,
    session: SessionDep,
    now: NowDep,
    staff: Annotated[StaffPrincipal, require(Action.MANAGE_STAFF)],
) -> p.StaffInfo:
    """Deactivate a staff member: their tokens stop working and their intents are refused."""
    return service.deactivate_staff(session, now, staff, staff_id)
