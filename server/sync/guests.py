"""Judging upsert_customer: a guest's details, with notes merged when written over."""

from __future__ import annotations

from app import protocol as p
from app.domain.permissions import Action
from app.protocol import meaning
from app.protocol.codec import customer_of
from server.sync import consent, store
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict
from server.sync.forgotten import forgotten
from server.sync.models import Customer


def upsert_customer(ctx: IntentContext, m: p.UpsertCustomer) -> Verdict:
    """A guest's details as staff saved them (notes written over another desk's merge)."""
    a = m.args
    if m.entity_id != a.id:
        raise Rejected("The intent's entity id and the customer's id differ.")
    row = ctx.session.get(Customer, a.id, with_for_update=True)
    if row is not None and row.venue_id != ctx.venue_id:
        raise Rejected("This customer belongs to another venue.")
    if row is not None and row.erased_at is not None:
        raise forgotten(row.erased_at, ctx.judging.rules.venue.tz, row.id)
    before = store.customer(row) if row is not None else None
    meaning.check_seen(m.base_version, row.version if row is not None else 0, "this guest")
    new_vip = a.vip and not (before is not None and before.vip)
    ctx.require(*meaning.required_actions(a, None, new_vip=new_vip))
    if before is not None and not a.vip and before.vip:
        ctx.require(Action.FLAG_VIP)
    stale = row is not None and m.base_version < row.version
    after = meaning.customer_after(before, m, ctx.judging, stale=stale)
    assert after is not None
    if row is None:
        row = Customer(id=a.id, venue_id=ctx.venue_id, version=0)
        ctx.session.add(row)
    store.write_customer(row, after)
    ctx.writes.extend(consent.history(ctx.venue_id, a.id, customer_of(a).consent, ctx.now))
    row.updated_at = ctx.now
    ctx.touch(row)
    ctx.session.flush()
    return Verdict(p.OutcomeKind.MERGED) if stale else APPLIED
