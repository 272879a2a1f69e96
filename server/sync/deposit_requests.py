"""Judging ``request_deposit``: record that a payment link is wanted; make it after commit.

The judge only writes the request (no link yet) and the booking's deposit state
``requested``, in the intent's transaction. The provider is never called here: this
transaction holds the venue's version row lock (server.sync.outcome), and a call to
Stripe inside it would stall every desk of the venue for as long as Stripe takes.
The link is made after the commit (server.payments.links), with the intent's
mutation id as the idempotency key, and written in a small transaction of its own.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import CURRENCY
from app.domain.deposit_links import DepositLink, RequestStatus
from app.domain.deposits import mode_for
from app.domain.messages.causes import Event
from app.protocol.intents import RequestDeposit, ResendDepositLink
from server.messages.tell import Deposit, Told, guest_of, plan
from server.payments.models import DepositRequest
from server.payments.short import new_token, short_link
from server.sync import bookings, guest_messages, store
from server.sync.context import APPLIED, MERGED, IntentContext, Rejected, Verdict
from server.sync.models import Customer

NOT_SET_UP = (
    "Payments are not set up on this server, so no payment link can be sent; "
    "take the deposit at the bar, or ask the server's administrator to set up Stripe."
)


def request_deposit(ctx: IntentContext, m: RequestDeposit) -> Verdict:
    row = bookings.load(ctx, m.entity_id)
    before = store.booking(row)
    after = bookings.decide(ctx, before, m.args)
    if not ctx.payments:
        raise Rejected(NOT_SET_UP)
    bookings.place(ctx, row, before, after)
    minutes = ctx.rules.deposits.link_minutes
    values = {
        "id": m.mutation_id,
        "venue_id": ctx.venue_id,
        "booking_id": m.entity_id,
        "amount_pence": before.deposit_pence,
        "currency": CURRENCY,
        "status": RequestStatus.REQUESTED.value,
        "link_minutes": minutes,
        # Fixed now, so that every retry of the provider call sends the same parameters
        # (an idempotency key replays only an identical request).
        "expires_at": ctx.now + timedelta(minutes=minutes),
        "mode": mode_for(ctx.rules.deposits, before.start, ctx.now).value,
        "requested_by": ctx.staff.name,
        "staff_id": m.staff_id,
        "requested_at": ctx.now,
        "updated_at": ctx.now,
        "short_token": new_token(),
    }
    ctx.created.append(store.insert(DepositRequest.__table__, values, stamped=True))
    return MERGED if m.base_version < before.version else APPLIED


NO_CONTACT = (
    "The guest gave neither an email nor a phone number, so the link cannot be sent "
    "again; copy the link and pass it on."
)


def latest_link(session: Session, booking_id: str) -> DepositRequest | None:
    """The booking's latest payment link (not a claim or refund), if any."""
    return session.scalars(
        select(DepositRequest)
        .where(
            DepositRequest.booking_id == uuid.UUID(booking_id),
            DepositRequest.kind == ActionKind.LINK.value,
        )
        .order_by(DepositRequest.requested_at.desc())
        .limit(1)
    ).first()


def link_of(session: Session, booking_id: str) -> DepositLink | None:
    """The booking's latest link as the domain's rule reads it."""
    r = latest_link(session, booking_id)
    if r is None:
        return None
    return DepositLink(
        str(r.booking_id),
        r.amount_pence,
        RequestStatus(r.status),
        r.url,
        r.expires_at,
        r.problem,
        kind=ActionKind(r.kind),
        released_at=r.released_at,
        capture_before=r.capture_before,
    )


def resend_link(ctx: IntentContext, m: ResendDepositLink) -> Verdict:
    """The live link sent to the guest again (its one meaning checks it is live), queued
    in this intent's transaction under its mutation id: a replayed push sends it once."""
    row = bookings.load(ctx, m.entity_id)
    before = store.booking(row)
    bookings.decide(ctx, before, m.args)
    request = latest_link(ctx.session, before.id)
    assert request is not None, "the meaning refuses a booking with no live link"
    customer = ctx.session.get(Customer, uuid.UUID(before.customer_id))
    guest = guest_of(customer)
    if guest is None or not guest.reachable:
        raise Rejected(NO_CONTACT)
    told = Told()
    plan(
        told,
        rules=ctx.rules,
        intent=Event.LINK_RESENT,
        cause=str(m.mutation_id),
        before=before,
        after=before,
        guest=lambda: guest,
        now=ctx.now,
        deposit=Deposit(
            link=request.url,
            short_link=short_link(ctx.public_url, request.short_token),
            deadline=request.expires_at,
        ),
    )
    guest_messages.queue(ctx, told)
    return MERGED if m.base_version < before.version else APPLIED
