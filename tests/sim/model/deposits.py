"""A deposit settled at the bar: paid in person (reception) or waived (a manager).

From the brief and docs/payments.md: only a deposit still owed can be settled, by the
whole amount owed and no other; a booking that is cancelled, completed or a no-show
settles nothing; a paid deposit is not paid again nor waived, a waived one not paid.
Settling it confirms a booking that was pending only for it, and writes one ledger
entry (a waiver's amount is what was owed). Nothing the desk saw
can be stale: the money was taken whatever changed meanwhile, so an intent over a
version the desk did not see is merged, not kept for staff.
"""

from __future__ import annotations

from dataclasses import replace

from tests.sim.model import roles
from tests.sim.model.judges import flag, load, placement
from tests.sim.model.rows import CANCELLED, CLOSED, CONFIRMED, PENDING
from tests.sim.model.state import Ctx, Refused, Verdict

TAKEN = "record_deposit_payment"
# The intents that settle a deposit at the bar.
SETTLING = (TAKEN, "waive_deposit")
GBP = "GBP"


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
    if b.deposit_state == "paid":
        raise Refused(("deposit_paid",))
    if b.status == CANCELLED or b.status in CLOSED:
        raise Refused(("deposit_finished", b.status.replace("_", "-")))
    if b.deposit_state == "not_required":
        raise Refused(("no_deposit",))
    if b.deposit_state == "waived":
        raise Refused(("deposit_waived",))
    if paying and int(a["amount_pence"]) != b.deposit_pence:
        raise Refused(("deposit_amount",))
    after = replace(b, deposit_state="paid" if paying else "waived", updated_at=ctx.at)
    if after.status == PENDING:
        after = replace(after, status=CONFIRMED)
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
