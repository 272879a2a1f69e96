"""Refused changes every desk of the venue sees, and their settling by the desk that made them.

A refusal is kept by the outcome statement that records it (stamped with its
version, so pull carries it to every desk). Only the desk that made the change
holds what was asked and can retry, amend or discard it; when it has, its
``settle_refusal`` intent marks the refusal settled and the other desks stop
showing it. A refused ``settle_refusal`` is not kept as a refusal of its own:
settling is bookkeeping, and a refusal of it would ask to be settled again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from psycopg.types.json import Jsonb

from app import protocol as p
from app.domain.erasure import scrubbed
from app.protocol import meaning
from server.sync import store
from server.sync.context import APPLIED, Desk, IntentContext, Rejected, Verdict
from server.sync.models import Refusal
from server.sync.pipeline import Statement


def kept(desk: Desk, m: p.AnyMutation, verdict: Verdict, now: datetime) -> Sequence[Statement]:
    """The refusal row a rejected intent leaves for the venue's desks (none otherwise)."""
    if verdict.outcome is not p.OutcomeKind.REJECTED or isinstance(m, p.SettleRefusal):
        return ()
    values = {
        "id": m.mutation_id,
        "venue_id": desk.venue_id,
        "device_id": desk.id,
        "device_name": desk.name,
        "device_seq": m.device_seq,
        "name": str(m.name),
        "entity_id": m.entity_id,
        "staff_id": m.staff_id,
        "args": Jsonb(_args(m, verdict)),
        "reason": verdict.reason or "",
        "refused_at": now,
        "updated_at": now,
    }
    return (store.insert(Refusal.__table__, values, stamped=True),)


def _args(m: p.AnyMutation, verdict: Verdict) -> dict[str, object]:
    args = m.args.model_dump(mode="json", exclude_none=True)
    if verdict.scrub is not None:
        # Refused because the guest was forgotten: what was asked, nothing of who.
        kept_args: dict[str, object] = scrubbed(args, verdict.scrub, owned=True)
        return kept_args
    return args


def settle_refusal(ctx: IntentContext, m: p.SettleRefusal) -> Verdict:
    """The desk that made a refused change has dealt with it; the other desks stop showing it."""
    ctx.require(*meaning.required_actions(m.args, None))
    row = ctx.session.get(Refusal, m.entity_id, with_for_update=True)
    if row is None or row.venue_id != ctx.venue_id:
        # Refused before the server kept refusals: no desk shows it, nothing to settle.
        return APPLIED
    if row.device_id != ctx.device.id:
        raise Rejected("Only the desk that made a refused change can say it was dealt with.")
    if row.settled is None:
        row.settled, row.settled_at, row.updated_at = m.args.how, ctx.now, ctx.now
        ctx.touch(row)
    return APPLIED
