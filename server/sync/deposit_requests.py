"""Judging ``request_deposit``: record that a payment link is wanted; make it after commit.

The judge only writes the request (no link yet) and the booking's deposit state
``requested``, in the intent's transaction. The provider is never called here: this
transaction holds the venue's version row lock (server.sync.outcome), and a call to
Stripe inside it would stall every desk of the venue for as long as Stripe takes.
The link is made after the commit (server.payments.links), with the intent's
mutation id as the idempotency key, and written in a small transaction of its own.
"""

from __future__ import annotations

from datetime import timedelta

from app.domain.deposit_ledger import CURRENCY
from app.domain.deposit_links import RequestStatus
from app.domain.deposits import mode_for
from app.protocol.intents import RequestDeposit
from server.payments.models import DepositRequest
from server.sync import bookings, store
from server.sync.context import APPLIED, MERGED, IntentContext, Rejected, Verdict

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
    }
    ctx.created.append(store.insert(DepositRequest.__table__, values, stamped=True))
    return MERGED if m.base_version < before.version else APPLIED
