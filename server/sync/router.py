"""The sync endpoints: push intents, pull changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.sync import protocol as p
from server.db import SessionDep
from server.deps import DeviceDep, NowDep, SettingsDep
from server.errors import described
from server.sync import pull, push
from server.versioning import ClientVersion

router = APIRouter(prefix="/v1/sync", tags=["sync"], dependencies=[ClientVersion])


@router.post("/push", responses=described(400, 401, 403, 413, 426))
def push_intents(
    body: p.PushRequest, request: Request, device: DeviceDep, settings: SettingsDep
) -> p.PushResponse:
    """Apply intents in device_seq order, one transaction and one stored outcome each."""
    return push.push(request.app.state.sessions, settings, request.app.state.clock, device, body)


@router.get("/changes", responses=described(400, 401, 403, 426))
def changes(
    session: SessionDep,
    device: DeviceDep,
    now: NowDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="The cursor of the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> p.ChangesPage:
    """Rows changed after the cursor in commit order, with outcomes, conflicts and holds."""
    return pull.changes_page(session, device.device_id, after, limit, now)
