"""The sync endpoints: push intents, pull changes."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app import protocol as p
from server.db import SessionDep
from server.deps import DeviceDep, NowDep, SettingsDep, TokenDep
from server.errors import described
from server.payments.actions import carry_out
from server.payments.links import Payments, make_links
from server.sync import pull, push
from server.sync.deposit_actions import FREE_CANCEL
from server.versioning import ClientVersion

router = APIRouter(prefix="/v1/sync", tags=["sync"], dependencies=[ClientVersion])
log = logging.getLogger("backroom.payments")
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


def _ask_stripe(sessions: Any, payments: Payments, mutations: list[p.AnyMutation]) -> None:
    """After the intents' commits, outside the venue's critical section: this push's own
    links are made and its claims, refunds and releases carried out now, so the desk's
    next pull has them (server.payments.links, .actions). Anything else waiting, and
    anything that fails here, is the reconciliation's (its timer); the push's answer
    never depends on Stripe."""
    links = [m.mutation_id for m in mutations if m.name is p.IntentName.REQUEST_DEPOSIT]
    actions = [
        m.mutation_id
        for m in mutations
        if m.name in (p.IntentName.CLAIM_DEPOSIT, p.IntentName.REFUND_DEPOSIT)
    ] + [uuid.uuid5(m.mutation_id, FREE_CANCEL) for m in mutations if m.name is p.IntentName.CANCEL]
    try:
        make_links(sessions, payments, links)
        carry_out(sessions, payments, actions)
    except Exception:
        # Logged with its traceback; the intents are committed and answered as judged.
        log.exception("Stripe work after a push failed; the reconciliation will retry it")


@router.post("/push", response_model=p.PushResponse, responses=described(400, 401, 403, 413, 426))
def push_intents(
    body: p.PushRequest, request: Request, credentials: TokenDep, settings: SettingsDep
) -> Response:
    """Apply intents in device_seq order, one transaction and one stored outcome each.

    Needs a desk's token. The push checks it with the desk's lock, in the same round
    trip, rather than a dependency with one of its own (the hot path).
    """
    clock = request.app.state.clock
    sessions = request.app.state.sessions
    answer = push.push(sessions, settings, clock, credentials.credentials, body)
    payments = request.app.state.payments
    if payments is not None and any(m.name in STRIPE_INTENTS for m in body.mutations):
        _ask_stripe(sessions, payments, body.mutations)
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get("/changes", responses=described(400, 401, 403, 409, 426))
def changes(
    session: SessionDep,
    device: DeviceDep,
    now: NowDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="The cursor of the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    lineage: Annotated[
        uuid.UUID | None, Query(description="The lineage of the desk's last page")
    ] = None,
) -> p.ChangesPage:
    """Rows changed after the cursor in commit order, with outcomes, conflicts and holds."""
    return pull.changes_page(session, device.device_id, after, limit, now, lineage)
