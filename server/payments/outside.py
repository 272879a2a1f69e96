"""Money moved at Stripe outside Backroom, recorded on its booking.

Managers use Stripe's Dashboard as well as the desk: a guest phones, and the manager
refunds the deposit from the Stripe app; a no-show's hold is captured, or a hold let go,
from the Dashboard. The server asked for none of it, so without this the booking still
read paid (or held), the night review counted money given back, and the desk offered a
refund or claim that Stripe could only refuse. So each reconciliation pass reads what
Stripe's events say moved since the pass before (``PaymentGateway.events_since``;
``payment_watch`` keeps how far it has read) and records every move made on one of this
server's bookings' payments or holds that no request of this server's made — one the
server asked for carries its own ids (server.payments.actions) and is recorded by that
request, or by a restore's listing (server.payments.moved). It is written as a request
done by "Stripe (outside Backroom)", through the same ``record_made`` as a restore's
take-back and a lapsed hold, and under the same name (``moved.unnamed``), so whichever
sees it first records it once; the guest is not told (Stripe's receipt, or the manager
who made it, does).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import TAKEN_ONLINE
from app.domain.deposit_links import RequestStatus
from server.payments import found, found_waiting
from server.payments.failed_refunds import record_failed
from server.payments.gateway import CLAIM_ON_HOLD, GatewayError, MoneyMove
from server.payments.lapsed import LAPSED, LAPSED_BY
from server.payments.models import DepositRequest, PaymentWatch
from server.payments.moved import known, unnamed
from server.payments.recorded import MadeAtStripe, record_made
from server.payments.settle import locked_booking
from server.sync.ledger_models import DepositLedgerEntry

if TYPE_CHECKING:
    from server.payments.links import Payments

OUTSIDE_BY = "Stripe (outside Backroom)"
_REASONS = {
    ActionKind.REFUND: "made at Stripe, not through Backroom (its Dashboard)",
    ActionKind.RELEASE: "Hold released at Stripe, not through Backroom (its Dashboard)",
}
_WATCH = "stripe_events"
# Stripe keeps its events thirty days: a server that never read them reads that far back.
_FIRST = timedelta(days=30)
# Stripe's clock and this server's differ a little: each pass reads back over the last.
_OVERLAP = timedelta(minutes=10)


@dataclass
class Read:
    """What one reading of Stripe's events recorded: moves made outside Backroom, refunds
    the guests' banks sent back (server.payments.failed_refunds), and why Stripe could
    not be read (read again next pass)."""

    recorded: int = 0
    refunds_failed: int = 0
    unread: list[str] = field(default_factory=list)


def moved_outside(sessions: sessionmaker[Session], payments: Payments) -> Read:
    """Record what Stripe moved outside Backroom since the last pass, and the refunds
    the guests' banks sent back."""
    done = Read()
    with sessions() as session:
        if found.pending(session):
            return done  # a restore's listing names what it lost first (server.payments.found)
        watch = session.get(PaymentWatch, _WATCH)
        now = payments.clock.now()
        since = watch.listed_to - _OVERLAP if watch is not None else now - _FIRST
    try:
        moves = payments.gateway.events_since(since)
    except GatewayError as trouble:
        done.unread.append(f"Stripe's events: {trouble}")
        return done
    for move in moves:
        with sessions() as session, session.begin():
            if move.failed is not None:
                done.refunds_failed += record_failed(session, move, payments.clock.now())
            else:
                done.recorded += record(session, move, payments.clock.now())
    with sessions() as session, session.begin():
        if found_waiting.count(session):
            # A restore's found payments wait for their bookings to be entered again: a
            # refund of one cannot be placed yet, so it is read again once it can be.
            return done
        watch = session.get(PaymentWatch, _WATCH, with_for_update=True)
        if watch is None:
            session.add(PaymentWatch(name=_WATCH, listed_to=now))
        else:
            watch.listed_to = max(watch.listed_to, now)
    return done


def record(session: Session, move: MoneyMove, now: datetime) -> int:
    """Record ``move`` if it acted on a booking's payment or hold and no request of this
    server's made it; 1 if it was recorded now. Also a webhook's (server.payments.webhook)."""
    hold_or_payment = _acted_on(session, move)
    if hold_or_payment is None:
        return 0
    venue_id, booking_id, currency = hold_or_payment
    # A webhook and a pass may read the same event at once: one records it, under the
    # booking's lock, and the other then finds it recorded.
    locked_booking(session, booking_id)
    request_id = unnamed(move)
    if known(session, request_id, move.ref):
        return 0  # recorded before: by a webhook, the last pass, a lapse, or its request
    kind = ActionKind(move.kind)
    lapsed = kind is ActionKind.RELEASE and move.cause == "automatic"
    made = MadeAtStripe(
        request_id=request_id,
        venue_id=venue_id,
        booking_id=booking_id,
        kind=kind,
        amount_pence=move.amount_pence,
        currency=currency,
        reason=LAPSED if lapsed else _REASONS.get(kind),
        by=LAPSED_BY if lapsed else OUTSIDE_BY,
        at=move.created_at or now,
        ref=move.ref,
    )
    record_made(session, made, now)
    return 1


def _acted_on(session: Session, move: MoneyMove) -> tuple[uuid.UUID, uuid.UUID, str] | None:
    """The venue, booking and currency of the payment or hold ``move`` acted on, if it is
    one of this server's and no request of this server's made (or is making) it."""
    if move.kind == ActionKind.REFUND.value:
        if move.metadata.get("action"):
            return None  # asked for by this server: its request records it
        taken = session.execute(
            select(
                DepositLedgerEntry.venue_id,
                DepositLedgerEntry.booking_id,
                DepositLedgerEntry.currency,
            )
            .where(
                DepositLedgerEntry.provider_ref == move.payment_ref,
                DepositLedgerEntry.kind.in_([k.value for k in TAKEN_ONLINE]),
            )
            .limit(1)
        ).first()
        return (taken[0], taken[1], taken[2]) if taken is not None else None
    if move.kind == ActionKind.CLAIM.value and CLAIM_ON_HOLD in move.metadata:
        return None  # captured for a claim of this server's
    hold = session.scalars(
        select(DepositRequest).where(
            DepositRequest.kind == ActionKind.LINK.value,
            DepositRequest.status == RequestStatus.HELD.value,
            DepositRequest.provider_ref == move.payment_ref,
        )
    ).first()
    if hold is None or _asked(session, hold.booking_id):
        return None
    return hold.venue_id, hold.booking_id, hold.currency


def _asked(session: Session, booking_id: uuid.UUID) -> bool:
    """A claim or release of this booking's hold is asked for and not yet answered: the
    move may be its (a release carries no ids of its own), recorded when it is."""
    query = select(DepositRequest.id).where(
        DepositRequest.booking_id == booking_id,
        DepositRequest.kind.in_([ActionKind.CLAIM.value, ActionKind.RELEASE.value]),
        DepositRequest.status == RequestStatus.REQUESTED.value,
    )
    return session.scalar(query.limit(1)) is not None
