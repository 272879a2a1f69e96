"""Server-sent events: "changes after version X exist", per venue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent

from server.db import SessionDep, end_read
from server.deps import BearerDep, DeviceDep, principal_for
from server.errors import described
from server.events.notifier import Notifier
from server.versioning import ClientVersion, current_version

router = APIRouter(prefix="/v1/sync", tags=["sync"], dependencies=[ClientVersion])


def _version_now(session: SessionDep, device: DeviceDep) -> int:
    version = current_version(session, device.venue_id)
    end_read(session)
    return version


@router.get("/events", response_class=EventSourceResponse, responses=described(400, 401, 403, 426))
async def events(
    request: Request,
    device: DeviceDep,
    credentials: BearerDep,
    version: Annotated[int, Depends(_version_now)],
) -> AsyncIterator[ServerSentEvent]:
    """A stream of `changes` events with `{"version": N}`: pull when N passes your cursor.

    The first event carries the version when the stream opened. The desk's token is
    checked again before each event: a desk revoked meanwhile gets no more and the
    stream ends (a revocation wakes its venue's streams).
    """
    notifier: Notifier = request.app.state.notifier
    queue = notifier.subscribe(device.venue_id)
    try:
        yield _event(version)
        while True:
            newest = await queue.get()
            while not queue.empty():
                newest = max(newest, queue.get_nowait())
            if not await _still_valid(request, credentials):
                return
            if newest > version:
                version = newest
                yield _event(version)
    finally:
        notifier.unsubscribe(device.venue_id, queue)


async def _still_valid(request: Request, credentials: BearerDep) -> bool:
    now = request.app.state.clock.now()
    try:
        await run_in_threadpool(principal_for, request, credentials, now)
    except HTTPException:
        return False
    return True


def _event(version: int) -> ServerSentEvent:
    return ServerSentEvent(event="changes", id=str(version), data={"version": version})
