"""Refunds of deposit money Stripe took, asked by a manager and made at Stripe.

From docs/payments.md ("Claims and refunds"): a manager (or admin) may refund money
Stripe took for a booking and has not given back — whatever the deposit reads, since a
guest may have paid the link after the booking was cancelled or the deposit was paid at
the bar; a booking with nothing taken online is refused (money paid at the bar is
given back at the bar), and so is a refund above what is left, or one asked while
another claim or refund of the booking is still being made. The judge changes no
booking: it writes the request (``requested``). Once the push is over the server asks
Stripe: the request is done, the deposit reads refunded and the ledger has the refund
(named by the request, as Stripe's refund names it); or, if by then less is left than
asked, nothing is asked of Stripe and the request fails with a sentence.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tests.sim.model import roles
from tests.sim.model.deposits import GBP, ONLINE_ENTRIES, Said, judged_request
from tests.sim.model.judges import load
from tests.sim.model.rows import Stamp
from tests.sim.model.state import Ctx, Refused, State, Verdict, Writes

REFUND = "refund_deposit"
# A refund a manager made in Stripe's Dashboard, as the server records it
# (docs/payments.md, "Money moved in Stripe's Dashboard"): by whom, why, and the server's
# own staff id (its actor, app.domain.audit's SERVER, written here as a literal).
OUTSIDE_BY = "Stripe (outside Backroom)"
OUTSIDE_REASON = "made at Stripe, not through Backroom (its Dashboard)"
SERVER_STAFF = "00000000-0000-4000-8000-5e5e5e5e5e5e"
# Money Stripe took (a link paid, a hold captured) and what it gave back.
TAKEN_ONLINE = ("stripe_payment", "capture")
# A deposit that reads as having taken money: a refund needs nothing else to be allowed.
REFUNDABLE = ("paid", "claimed", "refunded")


class StripeRef:
    """Stripe's id of the refund it made: the model knows only its kind (``re_…``); the
    checker matches the very refund at Stripe (tests/sim/columns.py)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(self.prefix)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self.prefix}…>"


def left_to_refund(state: State, booking_id: str) -> int:
    """What Stripe took for the booking and has not given back (a refund the guest's bank
    sent back gave nothing back; money given back at the bar or by transfer did, as far
    as there is any)."""
    rows = [r for r in state.ledger.values() if r["booking_id"] == booking_id]
    taken = sum(r["amount_pence"] for r in rows if r["kind"] in TAKEN_ONLINE)
    given = sum(r["amount_pence"] for r in rows if r["kind"] in ("refund", "given_back"))
    failed = sum(r["amount_pence"] for r in rows if r["kind"] == "refund_failed")
    return max(0, taken - given + failed)


def refund_asked(ctx: Ctx) -> Verdict:
    m, a = ctx.intent, ctx.intent.args
    b = load(ctx, m.entity_id)
    roles.require(ctx.staff, roles.REFUND_DEPOSIT)
    amount = int(a["amount_pence"])
    if a.get("currency") != GBP or amount <= 0:
        raise Refused(("refund_amount",))
    left = left_to_refund(ctx.state, b.id)
    if left <= 0 and b.deposit_state not in REFUNDABLE:
        raise Refused(("refund_nothing_paid", b.deposit_state.replace("_", " ")))
    if left <= 0:
        raise Refused(("refund_nothing_online",))
    if amount > left:
        raise Refused(("refund_too_much",))
    busy = [
        r
        for r in ctx.state.requests.values()
        if r["booking_id"] == b.id and r["kind"] != "link" and r["status"] == "requested"
    ]
    if busy:
        raise Refused(("refund_busy",))
    ctx.writes.requests[m.mutation_id] = judged_request(
        ctx,
        "refund",
        amount,
        link_minutes=0,
        session_id=None,
        url=None,
        expires_at=None,
        reason=a["reason"],
    )
    return Verdict("merged" if m.base_version < b.version else "applied", writes=ctx.writes)


def refund_made(state: State, request_id: str, at: Stamp) -> Verdict:
    """The server asks Stripe for a judged refund after its push: "applied" when Stripe
    refunds it, "failed" when less is left than asked by then, "rejected" when there was
    nothing to carry out."""
    r = state.requests.get(request_id)
    if r is None or r["kind"] != "refund" or r["status"] != "requested":
        return Verdict("rejected", (("no_refund_waiting",),))
    writes = Writes()
    if r["amount_pence"] > left_to_refund(state, r["booking_id"]):
        writes.requests[request_id] = {
            **r,
            "status": "failed",
            "problem": Said(True),
            "updated_at": at,
        }
        return Verdict("failed", writes=writes)
    refund = StripeRef("re_")
    writes.requests[request_id] = {**r, "status": "done", "provider_ref": refund, "updated_at": at}
    b = state.bookings[r["booking_id"]]
    writes.bookings[b.id] = replace(b, deposit_state="refunded", updated_at=at)
    entry_id = str(uuid.uuid5(ONLINE_ENTRIES, f"refund:{request_id}"))
    writes.ledger[entry_id] = _entry(state, r, entry_id, refund, at)
    return Verdict("applied", writes=writes)


def refunded_outside(state: State, request_id: str, refund: dict[str, Any], at: Stamp) -> Verdict:
    """A manager refunded ``refund`` (Stripe's own record of it) in Stripe's Dashboard and
    the server, reading Stripe's events, recorded it under ``request_id``: on the booking
    whose payment it gave back, a refund request done by "Stripe (outside Backroom)" at
    the refund's time, the deposit refunded, a refund entry naming Stripe's refund. A
    payment that is no booking's, or a refund of the server's own, is not recorded."""
    if refund["metadata"]:
        return Verdict("rejected", (("outside_refund_is_the_servers",),))
    taken = [
        e
        for e in state.ledger.values()
        if e["kind"] in TAKEN_ONLINE and e["provider_ref"] == refund["payment_intent"]
    ]
    if not taken:
        return Verdict("rejected", (("outside_refund_of_no_booking",),))
    b = state.bookings[taken[0]["booking_id"]]
    r = {
        "id": request_id,
        "venue_id": state.venue.id,
        "booking_id": b.id,
        "amount_pence": refund["amount"],
        "currency": GBP,
        "status": "done",
        "requested_by": OUTSIDE_BY,
        "staff_id": SERVER_STAFF,
        "requested_at": datetime.fromtimestamp(refund["created"], UTC),
        "updated_at": at,
        "problem": None,
        "kind": "refund",
        "mode": "payment",
        "reason": OUTSIDE_REASON,
        "provider_ref": refund["id"],
        "customer_ref": None,
        "payment_method_ref": None,
        "card_last4": None,
        "capture_before": None,
        "released_at": None,
        "link_minutes": 0,
        "session_id": None,
        "url": None,
        "expires_at": None,
    }
    writes = Writes()
    writes.requests[request_id] = r
    writes.bookings[b.id] = replace(b, deposit_state="refunded", updated_at=at)
    entry_id = str(uuid.uuid5(ONLINE_ENTRIES, f"refund:{request_id}"))
    writes.ledger[entry_id] = _entry(state, r, entry_id, refund["id"], at)
    return Verdict("applied", writes=writes)


def refund_sent_back(state: State, request_id: str, at: Stamp) -> Verdict:
    """The guest's bank sent back a refund Stripe made (docs/payments.md, "Refunds the
    bank sent back"): its request failed, saying why; the deposit reads refund failed; a
    ``refund_failed`` entry of the refund's amount, naming the refund, so that much is
    left to refund again. Only a refund made (done) can be sent back."""
    r = state.requests.get(request_id)
    if r is None or r["kind"] != "refund" or r["status"] != "done":
        return Verdict("rejected", (("no_refund_made",),))
    writes = Writes()
    # ``sent_back``: the model's own mark (no column): Stripe keeps the refund, failed.
    writes.requests[request_id] = {
        **r, "status": "failed", "problem": Said(True), "updated_at": at, "sent_back": True,
    }  # fmt: skip
    b = state.bookings[r["booking_id"]]
    writes.bookings[b.id] = replace(b, deposit_state="refund_failed", updated_at=at)
    entry_id = str(uuid.uuid5(ONLINE_ENTRIES, f"refund_failed:{request_id}"))
    entry = _entry(state, r, entry_id, r["provider_ref"], at)
    writes.ledger[entry_id] = {**entry, "kind": "refund_failed", "note": Said(True)}
    return Verdict("applied", writes=writes)


def _entry(
    state: State, r: dict[str, Any], entry_id: str, refund: StripeRef | str, at: Stamp
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "venue_id": state.venue.id,
        "booking_id": r["booking_id"],
        "kind": "refund",
        "amount_pence": r["amount_pence"],
        "currency": GBP,
        "method": None,
        "note": f"Refunded: {r['reason']}",
        "staff_id": r["staff_id"],
        "staff_name": r["requested_by"],
        "device_id": None,
        "recorded_at": at,
        "updated_at": at,
        "provider_ref": refund,
    }


# Money a manager gave back outside Stripe (docs/payments.md, "Money given back another
# way"): cash or the card machine at the bar, or a bank transfer.
GIVE_BACK = "give_back_deposit"
# Money the venue took, at the bar or through Stripe.
TAKEN = ("payment_in_person", *TAKEN_ONLINE)


def held_by_venue(state: State, booking_id: str) -> int:
    """What of the booking's money the venue holds: what it took, less the refunds the
    bank did not send back and what was given back another way."""
    rows = [r for r in state.ledger.values() if r["booking_id"] == booking_id]

    def total(*kinds: str) -> int:
        return sum(r["amount_pence"] for r in rows if r["kind"] in kinds)

    return total(*TAKEN) - total("refund") + total("refund_failed") - total("given_back")


def given_back(ctx: Ctx) -> Verdict:
    """A manager (or admin) records money given back another way: more than nothing, in
    pounds, at most what the venue holds of the booking's money. The deposit reads
    refunded, whatever it read, and the ledger has the entry the desk named."""
    m, a = ctx.intent, ctx.intent.args
    b = load(ctx, m.entity_id)
    roles.require(ctx.staff, roles.REFUND_DEPOSIT)
    amount = int(a["amount_pence"])
    if a.get("currency") != GBP or amount <= 0:
        raise Refused(("give_back_amount",))
    held = held_by_venue(ctx.state, b.id)
    if held <= 0:
        raise Refused(("give_back_nothing",))
    if amount > held:
        raise Refused(("give_back_too_much",))
    ctx.writes.bookings[b.id] = replace(b, deposit_state="refunded", updated_at=ctx.at)
    entry_id = str(a["entry_id"])
    ctx.writes.ledger[entry_id] = {
        "id": entry_id,
        "venue_id": ctx.state.venue.id,
        "booking_id": b.id,
        "kind": "given_back",
        "amount_pence": amount,
        "currency": GBP,
        "method": a["method"],
        "note": a["reason"],
        "staff_id": ctx.staff.id,
        "staff_name": ctx.staff.name,
        "device_id": m.device_id,
        "recorded_at": ctx.at,
        "updated_at": ctx.at,
        "provider_ref": None,
    }
    return Verdict("merged" if m.base_version < b.version else "applied", writes=ctx.writes)
