"""Short holds on tables while a desk is booking them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from app import protocol as p
from server.db import SessionDep
from server.deps import DeviceDep, NowDep, SettingsDep
from server.errors import described
from server.holds import service

router = APIRouter(prefix="/v1/holds", tags=["holds"])


@router.post("", status_code=201, responses=described(400, 401, 403, 404, 409, 413))
def create_hold(
    body: p.HoldRequest,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    device: DeviceDep,
) -> p.HoldGranted:
    """Hold tables for a time range; refused (409) while another live hold or a booking has them."""
    return service.create_hold(session, settings, now, device, body)


@router.get("", responses=described(401, 403))
def list_holds(session: SessionDep, now: NowDep, device: DeviceDep) -> list[p.HoldRecord]:
    return service.live_holds(session, device.venue_id, now)


@router.post("/{hold_id}/renew", responses=described(401, 403, 404, 410))
def renew_hold(
    hold_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    device: DeviceDep,
) -> p.HoldGranted:
    return service.renew_hold(session, settings, now, device, hold_id)


@router.post("/{hold_id}/release", status_code=204, responses=described(401, 403, 404))
def release_hold(
    hold_id: uuid.UUID, session: SessionDep, now: NowDep, device: DeviceDep
) -> Response:
    service.release_hold(session, now, device, hold_id)
    return Response(status_code=204)
