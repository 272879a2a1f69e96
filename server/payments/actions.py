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
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain import kernel
from app.domain.booking import Booking
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import TAKEN, LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposits import format_pence
from app.domain.messages.causes import Event
from server.messages.tell import Deposit, tell_now
from server.payments.gateway import GatewayError, Moved, PaymentGateway
from server.payments.links import Payments
from server.payments.models import DepositRequest
from server.payments.settle import ledger_entry, locked_booking, locked_request, stamp
from server.sync import store
from server.sync.ledger_models import DepositLedgerEntry

Call = Callable[[PaymentGateway], Moved]
_ONLINE_TAKEN = [k.value for k in TAKEN if k is not LedgerKind.PAYMENT_IN_PERSON]


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
    done = 0
    for request_id in ids:
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
    metadata = {"request_id": str(r.id), "booking_id": str(r.booking_id)}
    if r.kind == ActionKind.REFUND.value:
        taken = session.scalar(
            select(DepositLedgerEntry.provider_ref)
            .where(
                DepositLedgerEntry.booking_id == r.booking_id,
                DepositLedgerEntry.kind.in_(_ONLINE_TAKEN),
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
        return lambda g: g.capture(intent, amount, idempotency_key=key)
    if r.kind == ActionKind.RELEASE.value:
        return "No card hold was found for this booking; nothing was released."
    customer, method = secured.customer_ref, secured.payment_method_ref
    if not customer or not method:
        return "The saved card's details are missing at Stripe's side; nothing was charged."
    currency = r.currency
    return lambda g: g.charge_saved_card(
        customer, method, amount, currency, metadata, idempotency_key=key
    )


def _outcome(
    action: ActionKind, before: Booking, r: DepositRequest, moved: Moved, now: datetime
) -> tuple[Booking, LedgerKind, int, str]:
    """The booking after Stripe did ``action``, and the ledger row that records it."""
    match action:
        case ActionKind.CLAIM:
            claimed = format_pence(moved.amount_pence)
            return (
                kernel.claimed(before, at=now),
                LedgerKind.CAPTURE,
                moved.amount_pence,
                (f"Claimed ({claimed})"),
            )
        case ActionKind.RELEASE:
            return (
                kernel.released(before, at=now),
                LedgerKind.RELEASE,
                r.amount_pence,
                (r.reason or "Hold released"),
            )
        case _:
            return (
                kernel.refunded(before, at=now),
                LedgerKind.REFUND,
                moved.amount_pence,
                (f"Refunded: {r.reason or 'no reason given'}"),
            )


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
        r.status, r.provider_ref = RequestStatus.DONE.value, moved.ref
        changed: list[object] = [r]
        row = locked_booking(session, r.booking_id)
        before = store.booking(row)
        action = ActionKind(r.kind)
        after, kind, amount, note = _outcome(action, before, r, moved, now)
        store.write_booking(row, after)
        changed.append(row)
        if action is ActionKind.REFUND:
            refund = Deposit(refund_pence=amount)
            tell_now(
                session, intent=Event.REFUNDED, cause=moved.ref, before=before, after=after,
                now=now, deposit=refund,
            )  # fmt: skip
        changed += ledger_entry(session, r, f"{r.kind}:{r.id}", kind, amount, note, moved.ref, now)
        stamp(session, r.venue_id, now, changed)
        return 1
