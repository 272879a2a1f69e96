"""The sync endpoints: push intents, pull changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import protocol as p
from server.db import SessionDep
from server.deps import DeviceDep, NowDep, SettingsDep, TokenDep, device_only, principal_for
from server.errors import described
from server.payments.actions import carry_out, waiting_actions
from server.payments.links import make_links, waiting
from server.sync import pull, push
from server.versioning import ClientVersion

router = APIRouter(prefix="/v1/sync", tags=["sync"], dependencies=[ClientVersion])
# Intents that ask something of Stripe once judged (never inside the judging transaction).
STRIPE_INTENTS = frozenset(
    {
        p.IntentName.REQUEST_DEPOSIT,
        p.IntentName.CLAIM_DEPOSIT,
        p.IntentName.REFUND_DEPOSIT,
        # Inside the free-cancellation window a cancel releases a hold or refunds.
        p.IntentName.CANCEL,
    }
)


@router.post("/push", response_model=p.PushResponse, responses=described(400, 401, 403, 413, 426))
def push_intents(
    body: p.PushRequest, request: Request, credentials: TokenDep, settings: SettingsDep
) -> Response:
    """Apply intents in device_seq order, one transaction and one stored outcome each.

    Needs a desk's token. The token is checked here rather than by a dependency
    so that the whole push runs in one worker thread (the hot path).
    """
    clock = request.app.state.clock
    device = device_only(principal_for(request, credentials, clock.now()))
    sessions = request.app.state.sessions
    answer = push.push(sessions, settings, clock, device, body)
    payments = request.app.state.payments
    if payments is not None and any(m.name in STRIPE_INTENTS for m in body.mutations):
        # After the intents' commits, outside the venue's critical section: the links
        # are made and claims and refunds carried out now, so the desk's next pull has
        # them (server.payments.links, server.payments.actions).
        make_links(sessions, payments, waiting(sessions, device.venue_id))
        carry_out(sessions, payments, waiting_actions(sessions, device.venue_id))
    return Response(answer.model_dump_json(), media_type="application/json")


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
