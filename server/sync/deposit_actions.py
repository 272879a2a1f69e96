"""Judging a manager's claim on a no-show's deposit, or refund of a deposit taken online.

The judge only checks the intent with its one meaning (app.domain.kernel.claim_asked,
refund_asked: manager or admin, the amount, the booking's state) and records what is
to be asked of Stripe, in the intent's transaction. The booking changes when Stripe
has done it: the request is carried out after the commit (server.payments.actions),
with the intent's mutation id as the idempotency key, outside the venue's critical
section, exactly as a payment link is made (server.sync.deposit_requests).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.booking import BookingStatus
from app.domain.deposit_actions import FREE_CANCEL_REASON, ActionKind, on_cancel, refundable_pence
from app.domain.deposit_ledger import CURRENCY, LedgerEntry, LedgerKind, held_pence
from app.domain.deposit_links import RequestStatus
from app.domain.references import format_reference
from app.protocol.deposit_args import RefundDepositArgs
from app.protocol.intents import Cancel, ClaimDeposit, RefundDeposit
from server.payments.models import DepositRequest
from server.sync import bookings, store
from server.sync.context import APPLIED, MERGED, IntentContext, Rejected, Verdict
from server.sync.deposit_requests import NOT_SET_UP
from server.sync.ledger_models import DepositLedgerEntry

# Names the automatic refund or release a cancellation asks for, from its mutation id.
FREE_CANCEL = "free-cancellation"


def deposit_action(ctx: IntentContext, m: ClaimDeposit | RefundDeposit) -> Verdict:
    row = bookings.load(ctx, m.entity_id)
    before = store.booking(row)
    bookings.decide(ctx, before, m.args)
    if not ctx.payments:
        raise Rejected(NOT_SET_UP)
    refund = isinstance(m.args, RefundDepositArgs)
    kind = ActionKind.REFUND if refund else ActionKind.CLAIM
    busy = ctx.session.scalar(
        select(DepositRequest.kind).where(
            DepositRequest.booking_id == m.entity_id,
            DepositRequest.kind != ActionKind.LINK.value,
            DepositRequest.status == RequestStatus.REQUESTED.value,
        )
    )
    if busy is not None:
        raise Rejected(
            f"A {busy} on booking {format_reference(before.reference)}'s deposit is "
            "still being made at Stripe; wait for it to finish."
        )
    values = {
        "id": m.mutation_id,
        "venue_id": ctx.venue_id,
        "booking_id": m.entity_id,
        "kind": kind.value,
        "amount_pence": m.args.amount_pence,
        "currency": m.args.currency,
        "status": RequestStatus.REQUESTED.value,
        "link_minutes": 0,
        "reason": m.args.reason if isinstance(m.args, RefundDepositArgs) else None,
        "requested_by": ctx.staff.name,
        "staff_id": m.staff_id,
        "requested_at": ctx.now,
        "updated_at": ctx.now,
    }
    ctx.created.append(store.insert(DepositRequest.__table__, values, stamped=True))
    return MERGED if m.base_version < before.version else APPLIED


def ledger(session: Session, booking_id: str) -> list[LedgerEntry]:
    """The booking's deposit ledger on this server, as the domain's sums read it."""
    rows = session.scalars(
        select(DepositLedgerEntry).where(DepositLedgerEntry.booking_id == uuid.UUID(booking_id))
    )
    return [
        LedgerEntry(
            id=str(r.id),
            booking_id=str(r.booking_id),
            kind=LedgerKind(r.kind),
            amount_pence=r.amount_pence,
            method=None,
            note=r.note,
            staff_name=r.staff_name,
            recorded_at=r.recorded_at,
            currency=r.currency,
        )
        for r in rows
    ]


def refundable(session: Session, booking_id: str) -> int:
    """What Stripe took of the booking's deposit and has not refunded (the domain's sum
    over this server's ledger)."""
    return refundable_pence(ledger(session, booking_id))


def held(session: Session, booking_id: str) -> int:
    """What of the booking's deposit money the venue holds (the domain's sum)."""
    return held_pence(ledger(session, booking_id))


def cancel(ctx: IntentContext, m: Cancel) -> Verdict:
    """A cancellation, judged as every booking change; then, by the venue's policy, inside
    the free-cancellation window a hold is released or money taken online refunded, asked
    of Stripe after the commit like a manager's refund (the request is named by the
    cancel's mutation id, so a replayed push asks once)."""
    before = store.booking(bookings.load(ctx, m.entity_id))
    verdict = bookings.change(ctx, m.entity_id, m.args)
    after = store.booking(bookings.load(ctx, m.entity_id))
    if not ctx.payments or after.status is not BookingStatus.CANCELLED:
        return verdict
    given = on_cancel(
        ctx.judging.policy_for(before), before, ctx.now, refundable(ctx.session, str(m.entity_id))
    )
    if given is None:
        return verdict
    kind, amount = given
    values = {
        "id": uuid.uuid5(m.mutation_id, FREE_CANCEL),
        "venue_id": ctx.venue_id,
        "booking_id": m.entity_id,
        "kind": kind.value,
        "amount_pence": amount,
        "currency": CURRENCY,
        "status": RequestStatus.REQUESTED.value,
        "link_minutes": 0,
        "reason": FREE_CANCEL_REASON,
        "requested_by": ctx.staff.name,
        "staff_id": m.staff_id,
        "requested_at": ctx.now,
        "updated_at": ctx.now,
    }
    ctx.created.append(store.insert(DepositRequest.__table__, values, stamped=True))
    return verdict
