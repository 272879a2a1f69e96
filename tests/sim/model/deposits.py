"""Deposits: settled at the bar (paid in person by reception, or waived by a manager),
asked for by a payment link, and paid through that link at Stripe.

From the brief and docs/payments.md: only a deposit still owed can be settled, by the
whole amount owed and no other; a booking that is cancelled, completed or a no-show
settles nothing; a paid deposit is not paid again nor waived, a waived one not paid.
Settling it confirms a booking that was pending only for it, and writes one ledger
entry (a waiver's amount is what was owed). Nothing the desk saw
can be stale: the money was taken whatever changed meanwhile, so an intent over a
version the desk did not see is merged, not kept for staff.

A link may be asked only for a deposit owed (``required``) of a booking with a table:
the deposit becomes ``requested`` (still owed, its amount fixed) and the link is made
at Stripe for that amount, open for the venue's link minutes from when it was judged.
When Stripe says the guest paid, the link is paid; the booking takes the money by the
same rule as a payment at the bar, and if it can no longer take it (paid at the bar or
cancelled meanwhile) the money is still written to the ledger and the link says a
manager should refund it: Stripe's money is never lost.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from tests.sim.model import roles
from tests.sim.model.judges import flag, load, placement
from tests.sim.model.rows import CANCELLED, CLOSED, CONFIRMED, PENDING, WAITLISTED, Booking, Stamp
from tests.sim.model.state import Ctx, Reason, Refused, State, Verdict, Writes

TAKEN = "record_deposit_payment"
# The intents that settle a deposit at the bar.
SETTLING = (TAKEN, "waive_deposit")
REQUEST = "request_deposit"
GBP = "GBP"
# A paid link's ledger entry is named by its Checkout Session, so it is written once
# whoever applies the payment (docs/payments.md, "Webhook"): the id is the contract.
ONLINE_ENTRIES = uuid.UUID("5f1d7a52-7d52-4c1e-9a0e-2f0f4b1f6a11")
ONLINE = "Paid online (Stripe)"


class Said:
    """A sentence for people the model does not word: only whether there is one."""

    def __init__(self, some: bool) -> None:
        self.some = some

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Said):
            return self.some == other.some
        return (other is not None) == self.some

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<a sentence>" if self.some else "None"


def _unsettleable(b: Booking) -> Reason | None:
    """Why ``b``'s deposit cannot be paid or waived now, if it cannot."""
    if b.deposit_state == "paid":
        return ("deposit_paid",)
    if b.status == CANCELLED or b.status in CLOSED:
        return ("deposit_finished", b.status.replace("_", "-"))
    if b.deposit_state == "not_required":
        return ("no_deposit",)
    if b.deposit_state == "waived":
        return ("deposit_waived",)
    return None


def _settled(b: Booking, state: str, at: Stamp) -> Booking:
    after = replace(b, deposit_state=state, updated_at=at)
    return replace(after, status=CONFIRMED) if after.status == PENDING else after


def settle_deposit(ctx: Ctx) -> Verdict:
    m, a = ctx.intent, ctx.intent.args
    paying = m.name == TAKEN
    b = load(ctx, m.entity_id)
    roles.require(ctx.staff, roles.TAKE_DEPOSIT if paying else roles.WAIVE_DEPOSIT)
    if paying:
        if a.get("currency") != GBP or int(a["amount_pence"]) <= 0:
            raise Refused(("deposit_amount",))
    elif not str(a.get("reason", "")).strip():
        raise Refused(("waiver_reason",))
    if (why := _unsettleable(b)) is not None:
        raise Refused(why)
    if paying and int(a["amount_pence"]) != b.deposit_pence:
        raise Refused(("deposit_amount",))
    after = _settled(b, "paid" if paying else "waived", ctx.at)
    if after != b:
        placed = placement(ctx, b, after)
        if placed.blocked_by is not None:
            made = ctx.conflict("overlap", after.id, placed.blocked_by.id, wanted=after.status)
            return Verdict("conflict", conflict=made, writes=ctx.writes)
        ctx.writes.bookings[after.id] = after
        flag(ctx, placed, after)
    entry_id = str(a["entry_id"])
    ctx.writes.ledger[entry_id] = {
        "id": entry_id,
        "venue_id": ctx.state.venue.id,
        "booking_id": b.id,
        "kind": "payment_in_person" if paying else "waiver",
        # A waiver lets the party off what it owed then.
        "amount_pence": int(a["amount_pence"]) if paying else b.deposit_pence,
        "currency": GBP,
        "method": a["method"] if paying else None,
        "note": a.get("note", "") if paying else a["reason"],
        "staff_id": ctx.staff.id,
        "staff_name": ctx.staff.name,
        "device_id": m.device_id,
        "recorded_at": ctx.at,
        "updated_at": ctx.at,
        "provider_ref": None,
    }
    return Verdict("merged" if m.base_version < b.version else "applied", writes=ctx.writes)


def request_link(ctx: Ctx) -> Verdict:
    """``request_deposit``: a payment link for what the booking owes."""
    m = ctx.intent
    b = load(ctx, m.entity_id)
    roles.require(ctx.staff, roles.REQUEST_DEPOSIT)
    if b.status == WAITLISTED:
        raise Refused(("link_waitlisted",))
    if b.status == CANCELLED or b.status in CLOSED:
        raise Refused(("link_finished", b.status.replace("_", "-")))
    refusal: dict[str, Reason] = {
        "requested": ("link_out",),
        "not_required": ("no_deposit",),
        "paid": ("deposit_paid",),
    }
    if b.deposit_state != "required":
        state = b.deposit_state
        raise Refused(refusal.get(state, ("link_unsendable", state.replace("_", " "))))
    after = replace(b, deposit_state="requested", updated_at=ctx.at)
    ctx.writes.bookings[after.id] = after
    minutes = ctx.state.venue.deposits.link_minutes
    # Fixed when asked: a party that grows later does not change the link. Judged; the
    # link is made once the push is over (``link_made``).
    ctx.writes.requests[m.mutation_id] = judged_request(
        ctx,
        "link",
        b.deposit_pence,
        link_minutes=minutes,
        expires_at=later(ctx.at, timedelta(minutes=minutes)),
    )
    return Verdict("merged" if m.base_version < b.version else "applied", writes=ctx.writes)


def judged_request(ctx: Ctx, kind: str, amount: int, **more: Any) -> dict[str, Any]:
    """A ``deposit_requests`` row as the judge writes it: asked, nothing made at Stripe."""
    m = ctx.intent
    return {
        "id": m.mutation_id,
        "venue_id": ctx.state.venue.id,
        "booking_id": m.entity_id,
        "amount_pence": amount,
        "currency": GBP,
        "status": "requested",
        "requested_by": ctx.staff.name,
        "staff_id": ctx.staff.id,
        "requested_at": ctx.at,
        "updated_at": ctx.at,
        "problem": None,
        "kind": kind,
        "mode": "payment",
        "reason": None,
        "provider_ref": None,
        "customer_ref": None,
        "payment_method_ref": None,
        "card_last4": None,
        "capture_before": None,
        "released_at": None,
        **more,
    }


def link_made(state: State, request_id: str) -> dict[str, Any]:
    """The request once the push that asked for it is over: the link is made at Stripe
    (which the simulation always reaches) while the booking still waits on it, its deposit
    still requested; else none is made and the request fails, saying why (the deposit
    settled at the bar later in the same push, say)."""
    r = state.requests[request_id]
    if state.bookings[r["booking_id"]].deposit_state == "requested":
        return {**r, "status": "open"}
    return {**r, "status": "failed", "problem": Said(True)}


def later(at: Stamp, by: timedelta) -> Stamp:
    """An instant ``by`` after a stamped one: as many candidates as it has."""
    return Stamp.of(at + by, at.by, frozenset(c + by for c in at.candidates))


def paid_online(state: State, paid: dict[str, Any], at: Stamp) -> Verdict:
    """Stripe says the guest paid the link ``paid["request_of_session"]`` (the request id
    the session carries): "applied" when the booking takes the money, "kept" when only the
    ledger does (the link then says a manager should refund it), "rejected" when the
    server should have changed nothing."""
    r = state.requests.get(str(paid["request_of_session"]))
    if r is None:
        return Verdict("rejected", (("unknown_link",),))
    if r["status"] == "paid":
        return Verdict("rejected", (("paid_twice",),))
    if paid["amount_pence"] != r["amount_pence"]:
        return Verdict("rejected", (("amount_differs",),))
    b = state.bookings[r["booking_id"]]
    refused = _unsettleable(b) or (
        ("deposit_amount",) if paid["amount_pence"] != b.deposit_pence else None
    )
    writes = Writes()
    if refused is None:
        writes.bookings[b.id] = _settled(b, "paid", at)
    writes.requests[r["id"]] = {
        **r,
        "status": "paid",
        "problem": Said(refused is not None),
        "provider_ref": paid["payment_ref"],
        "card_last4": paid["card_last4"],
        "updated_at": at,
    }
    entry_id = str(uuid.uuid5(ONLINE_ENTRIES, str(paid["session_id"])))
    writes.ledger[entry_id] = {
        "id": entry_id,
        "venue_id": state.venue.id,
        "booking_id": b.id,
        "kind": "stripe_payment",
        "amount_pence": paid["amount_pence"],
        "currency": GBP,
        "method": None,
        "note": f"Payment link {paid['session_id']}",
        "staff_id": r["staff_id"],
        "staff_name": ONLINE,
        "device_id": None,
        "recorded_at": at,
        "updated_at": at,
        "provider_ref": paid["payment_ref"],
    }
    if refused is None:
        return Verdict("applied", writes=writes)
    return Verdict("kept", (refused,), writes=writes)
