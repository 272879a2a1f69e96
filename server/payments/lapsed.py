"""Card holds that lapsed at the bank, recorded as let go.

A card authorisation lasts seven days (app.domain.deposit_modes.HOLD_LASTS); a hold not
captured by its ``capture_before`` is let go by Stripe, which cancels its PaymentIntent
("automatic") — and says nothing to this server that it acts on. Without this the
booking's deposit read "held" for good, the desk offered a claim Stripe could only
refuse, and the night's review counted a hold that was gone. So the reconciliation asks
Stripe about every hold past its ``capture_before`` (``PaymentGateway.hold_now``) and,
once Stripe has let it go, records it as a release: a ``release`` request written done
(named as a restore's listing would name it, so it is recorded once), the deposit
released, a ``release`` ledger entry; the guest is not told (nothing was taken). A hold
Stripe still shows as held is asked about again on the next pass.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import RequestStatus
from server.payments.gateway import GatewayError, MoneyMove
from server.payments.models import DepositRequest
from server.payments.moved import unnamed
from server.payments.recorded import MadeAtStripe, record_made

if TYPE_CHECKING:
    from server.payments.links import Payments

LAPSED_BY = "Stripe (the hold lapsed)"
LAPSED = "Hold lapsed at the bank: not claimed within 7 days"


def lapsed_holds(
    sessions: sessionmaker[Session], payments: Payments, stop: Callable[[], bool]
) -> tuple[int, list[str]]:
    """Record every hold past its deadline that Stripe has let go; how many were, and the
    holds Stripe could not be asked about."""
    now = payments.clock.now()
    query = select(DepositRequest.id, DepositRequest.provider_ref).where(
        DepositRequest.kind == ActionKind.LINK.value,
        DepositRequest.status == RequestStatus.HELD.value,
        DepositRequest.capture_before <= now,
        DepositRequest.provider_ref.is_not(None),
    )
    with sessions() as session:
        due = [(request_id, str(ref)) for request_id, ref in session.execute(query)]
    recorded, unreachable = 0, []
    for hold_id, intent in due:
        if stop():
            break
        try:
            move = payments.gateway.hold_now(intent)
        except GatewayError as trouble:
            unreachable.append(f"hold {intent}: {trouble}")
            continue
        # Captured would be a claim this server lost (a restore's: server.payments.moved).
        if move is None or move.kind != ActionKind.RELEASE.value:
            continue
        with sessions() as session, session.begin():
            recorded += _record(session, hold_id, move, payments.clock.now())
    return recorded, unreachable


def _record(session: Session, hold_id: uuid.UUID, move: MoneyMove, now: datetime) -> int:
    hold = session.get(DepositRequest, hold_id)
    release_id = unnamed(move)
    if hold is None or session.get(DepositRequest, release_id) is not None:
        return 0
    made = MadeAtStripe(
        request_id=release_id,
        venue_id=hold.venue_id,
        booking_id=hold.booking_id,
        kind=ActionKind.RELEASE,
        amount_pence=move.amount_pence or hold.amount_pence,
        currency=hold.currency,
        reason=LAPSED,
        by=LAPSED_BY,
        at=move.created_at or now,
        ref=move.ref,
    )
    record_made(session, made, now)
    return 1
