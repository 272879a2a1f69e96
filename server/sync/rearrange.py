"""Judging rearrange: several bookings onto other tables at once, or none of them."""

from __future__ import annotations

import uuid

from app import protocol as p
from app.domain.errors import DomainError
from app.protocol import meaning
from server.sync import placement, store
from server.sync.bookings import load
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict


def rearrange(ctx: IntentContext, m: p.Rearrange) -> Verdict:
    """Several bookings change tables in one transaction, checked as a whole.

    The bookings are locked in id order, then their new tables; the plan is its
    one meaning (``meaning.rearranged``: refused whole if any booking changed
    since it was made, cannot move, or two would share a table), and then no
    booking outside it may be in the way. The moved bookings let go of their
    tables before any takes new ones, so a swap never overlaps half-way.
    """
    session = ctx.session
    moves = sorted(m.args.moves, key=lambda mv: mv.booking_id)
    rows = {mv.booking_id: load(ctx, mv.booking_id) for mv in moves}
    placement.lock_tables(ctx, {t for mv in moves for t in mv.table_ids})
    befores = [store.booking(row) for row in rows.values()]
    for before in befores:
        ctx.require(*meaning.required_actions(m.args, before))
    try:
        afters = meaning.rearranged(ctx.judging, befores, m.args, m.previous)
    except DomainError as refused:
        raise Rejected(str(refused)) from None
    moving = [b.id for b in afters]
    if any(placement.in_the_way(ctx, after, besides=moving) for after in afters):
        raise Rejected(meaning.PLAN_CLASH)
    for after in afters:
        placement.release(ctx, after.id)
    for after in afters:
        row = rows[uuid.UUID(after.id)]
        ctx.changed_booking(store.booking(row), after)
        store.write_booking(row, after)
        ctx.touch(row)
        session.flush()
        placement.hold(ctx, after)
    return APPLIED
