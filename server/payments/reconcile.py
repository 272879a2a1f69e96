"""Asking Stripe about every deposit link not yet final, so a lost webhook never leaves a
booking wrong; and closing links whose booking no longer owes (paid at the bar, waived,
cancelled), so no guest pays twice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.booking import DepositState
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import FINAL
from server.payments.actions import carry_out, waiting_actions
from server.payments.gateway import GatewayError, SessionState
from server.payments.links import Payments, make_links, waiting
from server.payments.models import DepositRequest
from server.payments.settle import apply_checkout, locked_request
from server.sync.models import Booking


@dataclass
class Reconciled:
    asked: int = 0
    changed: int = 0
    links_made: int = 0
    actions_done: int = 0
    closed: int = 0
    unreachable: list[str] = field(default_factory=list)


def reconcile(sessions: sessionmaker[Session], payments: Payments) -> Reconciled:
    done = Reconciled()
    done.links_made = make_links(sessions, payments, waiting(sessions))
    done.actions_done = carry_out(sessions, payments, waiting_actions(sessions))
    for request_id, session_id, still_owed in _open(sessions):
        done.asked += 1
        try:
            checkout = payments.gateway.retrieve_checkout(session_id)
            if checkout.state is SessionState.OPEN and not still_owed:
                checkout = payments.gateway.expire_checkout(session_id)
                done.closed += 1
        except GatewayError as trouble:
            done.unreachable.append(f"{session_id}: {trouble}")
            continue
        with sessions() as session, session.begin():
            request = locked_request(session, request_id)
            if request is not None and apply_checkout(
                session, request, checkout, payments.clock.now()
            ):
                done.changed += 1
    return done


def _open(sessions: sessionmaker[Session]) -> list[tuple[uuid.UUID, str, bool]]:
    """Requests with a link not final: id, session, and whether the booking still owes."""
    query = (
        select(DepositRequest.id, DepositRequest.session_id, Booking.deposit_state)
        .join(Booking, Booking.id == DepositRequest.booking_id)
        .where(
            DepositRequest.kind == ActionKind.LINK.value,
            DepositRequest.status.not_in([s.value for s in FINAL]),
            DepositRequest.session_id.is_not(None),
        )
        .order_by(DepositRequest.requested_at)
    )
    with sessions() as session:
        return [
            (rid, str(sid), state == DepositState.REQUESTED.value)
            for rid, sid, state in session.execute(query)
        ]
