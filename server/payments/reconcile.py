"""Asking Stripe about every deposit link not yet final, so a lost webhook never leaves a
booking wrong; closing links whose booking no longer owes (paid at the bar, waived,
cancelled), so no guest pays twice; and closing links past their deadline that Stripe
has not expired yet, so an unpaid booking releases its tables even with no webhook
(server/payments/expiry.py, which also releases those whose grace period ran out)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import FINAL, waits_on_a_link
from server.payments.actions import carry_out, waiting_actions
from server.payments.expiry import due, release
from server.payments.forget import forget
from server.payments.forget import waiting as waiting_customers
from server.payments.found import recovered
from server.payments.gateway import Checkout, GatewayError, PaymentGateway, SessionState
from server.payments.lapsed import lapsed_holds
from server.payments.links import Payments, make_links, waiting
from server.payments.models import DepositRequest
from server.payments.outside import moved_outside
from server.payments.settle import apply_checkout, locked_request, stamp
from server.sync.models import Booking


def _never() -> bool:
    return False


@dataclass
class Reconciled:
    asked: int = 0
    changed: int = 0
    links_made: int = 0
    actions_done: int = 0
    closed: int = 0
    # Bookings whose unpaid link's expiry released their tables (cancelled by the server).
    released: int = 0
    # Erased guests' saved-card customers deleted at Stripe (server.payments.forget).
    customers_deleted: int = 0
    # Card holds Stripe let go after seven days, recorded as released (server.payments.lapsed).
    lapsed: int = 0
    # Refunds, claims and releases made at Stripe outside Backroom, recorded on their
    # bookings (server.payments.outside).
    outside: int = 0
    # Refunds the guests' banks sent back, shown failed (server.payments.failed_refunds).
    refunds_failed: int = 0
    # Links a restored database had lost, found at Stripe and taken back (server.payments.found).
    found: int = 0
    taken_back: int = 0
    # Claims, refunds and releases it had lost, likewise (server.payments.moved).
    moves_found: int = 0
    moves_taken_back: int = 0
    unreachable: list[str] = field(default_factory=list)


def reconcile(
    sessions: sessionmaker[Session], payments: Payments, stop: Callable[[], bool] = _never
) -> Reconciled:
    """One pass over every link not final. ``stop``: asked between links (a server
    shutting down ends the pass early; the next pass picks up where it left off)."""
    done = Reconciled()
    lost = recovered(sessions, payments)
    done.found, done.taken_back = lost.found, lost.taken_back
    done.moves_found, done.moves_taken_back = lost.moves_found, lost.moves_taken_back
    done.closed += lost.closed
    done.unreachable += lost.unreachable
    done.links_made = make_links(sessions, payments, waiting(sessions))
    done.actions_done = carry_out(sessions, payments, waiting_actions(sessions))
    done.customers_deleted = forget(sessions, payments, waiting_customers(sessions))
    for request_id, session_id, still_owed, deadline in _open(sessions):
        if stop():
            return done
        done.asked += 1
        try:
            checkout = payments.gateway.retrieve_checkout(session_id)
            if checkout.state is SessionState.OPEN and not still_owed:
                checkout = _close(payments.gateway, session_id)
                done.closed += 1
            elif checkout.state is SessionState.OPEN and _passed(deadline, payments):
                # Stripe expires a session some minutes after its deadline; the guest
                # must not pay a link whose booking is about to give up its tables.
                checkout = _close(payments.gateway, session_id)
        except GatewayError as trouble:
            done.unreachable.append(f"{session_id}: {trouble}")
            continue
        with sessions() as session, session.begin():
            now = payments.clock.now()
            request = locked_request(session, request_id)
            if request is not None and apply_checkout(
                session, request, checkout, now, payments.public_url
            ):
                done.changed += 1
                if request.released_at == now:
                    done.released += 1
    done.released += _sweep(sessions, payments, stop)
    done.lapsed, unasked = lapsed_holds(sessions, payments, stop)
    done.unreachable += unasked
    read = moved_outside(sessions, payments)
    done.outside, done.refunds_failed = read.recorded, read.refunds_failed
    done.unreachable += read.unread
    return done


def _close(gateway: PaymentGateway, session_id: str) -> Checkout:
    """Expire a link at Stripe; one the guest paid a moment ago cannot be, and Stripe's
    word on it (paid) is taken instead."""
    try:
        return gateway.expire_checkout(session_id)
    except GatewayError as refused:
        if refused.retry:
            raise
        return gateway.retrieve_checkout(session_id)


def _passed(deadline: datetime | None, payments: Payments) -> bool:
    return deadline is not None and deadline <= payments.clock.now()


def _sweep(sessions: sessionmaker[Session], payments: Payments, stop: Callable[[], bool]) -> int:
    """Release the bookings of links that expired earlier and whose grace period is over."""
    with sessions() as session:
        candidates = due(session, payments.clock.now())
    released = 0
    for request_id in candidates:
        if stop():
            break
        with sessions() as session, session.begin():
            now = payments.clock.now()
            request = locked_request(session, request_id)
            changed = release(session, request, now) if request is not None else []
            if request is not None and changed:
                stamp(session, request.venue_id, now, changed)
                released += 1
    return released


def _open(
    sessions: sessionmaker[Session],
) -> list[tuple[uuid.UUID, str, bool, datetime | None]]:
    """Requests with a link not final: id, session, whether the booking still owes, and
    the link's deadline."""
    query = (
        select(
            DepositRequest.id,
            DepositRequest.session_id,
            Booking.deposit_state,
            DepositRequest.expires_at,
        )
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
            (rid, str(sid), waits_on_a_link(state), deadline)
            for rid, sid, state, deadline in session.execute(query)
        ]
