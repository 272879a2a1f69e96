"""One intent judged by the model: the desk's audit chain, the staff member, then its judge.

The audit events an intent carries must continue its desk's chain (each event's
hash over its canonical fields, seq one more than the last, prev_hash the last
hash; docs/architecture.md, "The audit chain is anchored at the server"); the
chain advances with every intent whose events verify, whatever its outcome
(tests/server/test_create_booking.py). The staff member must be an active
member of the venue (tests/server/test_conflict_rules.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from tests.sim.model import deposits, judges, others, refunds, resolution
from tests.sim.model.rows import Stamp
from tests.sim.model.state import Ctx, Intent, Refused, State, Verdict, instant

GENESIS = "0" * 64
JUDGES: dict[str, Callable[[Ctx], Verdict]] = {
    "create_booking": judges.create_booking,
    "move_booking": judges.booking_intent,
    "edit_details": judges.booking_intent,
    "set_status": judges.booking_intent,
    "cancel": judges.booking_intent,
    "record_spend": judges.booking_intent,
    "undo_cancel": judges.undo_cancel,
    "rearrange": judges.rearrange,
    "upsert_customer": others.upsert_customer,
    "update_table": others.update_table,
    "update_area": others.update_area,
    "update_combination": others.update_combination,
    "set_deposit_policy": others.set_deposit_policy,
    **dict.fromkeys(deposits.SETTLING, deposits.settle_deposit),
    deposits.REQUEST: deposits.request_link,
    refunds.REFUND: refunds.refund_asked,
    refunds.GIVE_BACK: refunds.given_back,
}


def _event_hash(event: dict[str, Any]) -> str:
    fields = {k: v for k, v in event.items() if k != "hash"}
    fields["at"] = instant(fields["at"]).isoformat()
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def audit_head(state: State, m: Intent) -> tuple[int, str] | None:
    """The desk's chain head after this intent's events, or None if they do not verify."""
    seq, head = state.audit.get(m.device_id, (0, GENESIS))
    for event in m.audit:
        if str(event.get("device_id")) != m.device_id:
            return None
        if event["hash"] != _event_hash(event) or event["seq"] != seq + 1:
            return None
        if event["prev_hash"] != head:
            return None
        seq, head = event["seq"], event["hash"]
    return seq, head


def judge(
    state: State, m: Intent, at: Stamp, conflict_key: tuple[str, str] | None = None
) -> Verdict:
    """What the server should answer to ``m`` judged at ``at`` (nothing is changed)."""
    if audit_head(state, m) is None:
        return Verdict("rejected", (("audit",),))
    staff = state.staff.get(m.staff_id)
    if staff is None or not staff.active or staff.venue_id != state.venue.id:
        return Verdict("rejected", (("not_member",),))
    ctx = Ctx(state, m, at, staff)
    try:
        if m.name == "resolve_conflict":
            return resolution.resolve_conflict(ctx, conflict_key)
        return JUDGES[m.name](ctx)
    except Refused as refused:
        return Verdict("rejected", refused.reasons)
