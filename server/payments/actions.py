"""Carrying out the claims and refunds managers asked for (judged ``claim_deposit`` and
``refund_deposit`` intents), at Stripe, after the intent's commit.

As with payment links (server.payments.links): every call carries the request's id —
the intent's mutation id — as its idempotency key, so a replayed push, a crash between
the call and the write, or the reconciliation running at the same moment never claims
or refunds twice. The booking and the ledger change in a small transaction of their
own once Stripe has answered; a refusal (a declined card, a bank that wants the guest
to authenticate) fails the request with words a manager can act on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposit_actions import CLAIMABLE, ActionKind
from app.domain.deposit_ledger import TAKEN_ONLINE
from app.domain.deposit_links import RequestStatus
from app.domain.deposits import format_pence
from app.domain.references import format_reference
from server.payments.found import before_actions
from server.payments.gateway import CLAIM_ON_HOLD, GatewayError, Moved, PaymentGateway
from server.payments.links import Payments
from server.payments.models import DepositRequest
from server.payments.recorded import record_moved
from server.payments.settle import locked_request, stamp
from server.sync.deposit_actions import refundable
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import Booking

_CLAIMABLE = {s.value for s in CLAIMABLE}

Call = Callable[[PaymentGateway], Moved]


def waiting_actions(
    sessions: sessionmaker[Session], venue_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """Claims and refunds judged and not yet carried out (oldest first)."""
    query = select(DepositRequest.id).where(
        DepositRequest.kind != ActionKind.LINK.value,
        DepositRequest.status == RequestStatus.REQUESTED.value,
    )
    if venue_id is not None:
        query = query.where(DepositRequest.venue_id == venue_id)
    with sessions() as session:
        return list(session.scalars(query.order_by(DepositRequest.requested_at)))


def carry_out(sessions: sessionmaker[Session], payments: Payments, ids: Iterable[uuid.UUID]) -> int:
    """Ask Stripe for each claim or refund and record its answer; how many were done.
    One Stripe could not answer is left for the reconciliation; one it refused fails."""
    ids = list(ids)
    held_back = before_actions(sessions, payments, ids)
    done = 0
    for request_id in ids:
        if request_id in held_back:
            continue
        with sessions() as session:
            request = session.get(DepositRequest, request_id)
            if request is None or request.status != RequestStatus.REQUESTED.value:
                continue
            call = _call_for(session, request)
        if isinstance(call, str):
            _record(sessions, payments, request_id, problem=call)
            continue
        try:
            moved = call(payments.gateway)
        except GatewayError as refused:
            if not refused.retry:
                _record(sessions, payments, request_id, problem=_words(request_id, refused))
            continue
        done += _record(sessions, payments, request_id, moved=moved)
    return done


def _call_for(session: Session, r: DepositRequest) -> Call | str:
    """What to ask Stripe for ``r``, or why nothing can be asked."""
    key, amount = str(r.id), r.amount_pence
    # What a restored server needs to find the claim or refund again (server.payments.moved).
    metadata = {
        "request_id": str(r.id),
        "booking_id": str(r.booking_id),
        "venue_id": str(r.venue_id),
        "action": r.kind,
    }
    now = session.get(Booking, r.booking_id)
    if now is not None and (gone := _not_there(r, now, refundable(session, str(r.booking_id)))):
        return gone
    if r.kind == ActionKind.REFUND.value:
        taken = session.scalar(
            select(DepositLedgerEntry.provider_ref)
            .where(
                DepositLedgerEntry.booking_id == r.booking_id,
                DepositLedgerEntry.kind.in_([k.value for k in TAKEN_ONLINE]),
                DepositLedgerEntry.provider_ref.is_not(None),
            )
            .order_by(DepositLedgerEntry.recorded_at.desc())
        )
        if taken is None:
            return "No payment taken through Stripe was found to refund."
        return lambda g: g.refund(taken, amount, metadata, idempotency_key=key)
    secured = session.scalars(
        select(DepositRequest)
        .where(
            DepositRequest.booking_id == r.booking_id,
            DepositRequest.kind == ActionKind.LINK.value,
            DepositRequest.status.in_([RequestStatus.HELD.value, RequestStatus.CARD_SAVED.value]),
        )
        .order_by(DepositRequest.requested_at.desc())
    ).first()
    if secured is None:
        return "No card hold or saved card was found for this booking."
    if secured.status == RequestStatus.HELD.value and secured.provider_ref:
        intent = secured.provider_ref
        if r.kind == ActionKind.RELEASE.value:
            return lambda g: g.release(intent, idempotency_key=key)
        captured = {CLAIM_ON_HOLD: str(r.id)}
        return lambda g: g.capture(intent, amount, captured, idempotency_key=key)
    if r.kind == ActionKind.RELEASE.value:
        return "No card hold was found for this booking; nothing was released."
    customer, method = secured.customer_ref, secured.payment_method_ref
    if not customer or not method:
        return "The saved card's details are missing at Stripe's side; nothing was charged."
    currency = r.currency
    return lambda g: g.charge_saved_card(
        customer, method, amount, currency, metadata, idempotency_key=key
    )


def _not_there(r: DepositRequest, row: Booking, left: int) -> str | None:
    """Why what the judge allowed can no longer be asked of Stripe: a claim or release
    once the deposit is no longer held or saved, a refund beyond what is left. Found
    claims and refunds a restore had lost do that (server.payments.found.before_actions);
    the judge's own rules should leave nothing else to catch here, and the simulator's
    model flags a judge that lets one through (docs/sync.md, refunds)."""
    ref = format_reference(row.reference)
    if r.kind != ActionKind.REFUND.value and row.deposit_state not in _CLAIMABLE:
        state = row.deposit_state.replace("_", " ")
        return (
            f"Booking {ref}'s deposit is {state} now, so nothing was asked of Stripe: "
            "no card is charged twice."
        )
    if r.kind == ActionKind.REFUND.value and r.amount_pence > left:
        return (
            f"Only {format_pence(left)} of booking {ref}'s deposit is left to refund now, "
            f"so the {format_pence(r.amount_pence)} refund was not asked of Stripe."
        )
    return None


def _words(request_id: uuid.UUID, refused: GatewayError) -> str:
    if refused.code == "authentication_required":
        return (
            "The guest's bank wants the guest to confirm this charge themself "
            "(authentication_required), so it cannot be taken while they are away; "
            f"nothing was charged. Ask the guest to pay by link, or waive it. ({refused})"
        )
    return f"Stripe refused: {refused}"


def _record(
    sessions: sessionmaker[Session],
    payments: Payments,
    request_id: uuid.UUID,
    *,
    moved: Moved | None = None,
    problem: str | None = None,
) -> int:
    now = payments.clock.now()
    with sessions() as session, session.begin():
        r = locked_request(session, request_id)
        if r is None or r.status != RequestStatus.REQUESTED.value:
            return 0
        if moved is None:
            r.status, r.problem = RequestStatus.FAILED.value, problem
            stamp(session, r.venue_id, now, [r])
            return 0
        stamp(session, r.venue_id, now, record_moved(session, r, moved, now))
        return 1
