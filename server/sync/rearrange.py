"""Judging rearrange: several bookings onto other tables at once, or none of them."""

from __future__ import annotations

import uuid

from app import protocol as p
from app.domain.booking import Booking as DomainBooking
from app.domain.errors import DomainError
from app.protocol import meaning
from server.sync import placement, store
from server.sync.bookings import load
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict


def rearrange(ctx: IntentContext, m: p.Rearrange) -> Verdict:
    """Several bookings change tables in one transaction, checked as a whole.

    The bookings are locked in id order, then their new tables; each move is its
    booking's one meaning (``rearranged``), and the whole is refused if any
    booking changed since the plan was made or two would share a table. The
    moved bookings let go of their tables before any takes new ones, so a swap
    never overlaps half-way.
    """
    session = ctx.session
    moves = sorted(m.args.moves, key=lambda mv: mv.booking_id)
    rows = {mv.booking_id: load(ctx, mv.booking_id) for mv in moves}
    placement.lock_tables(ctx, {t for mv in moves for t in mv.table_ids})
    afters = []
    for mv in moves:
        before = store.booking(rows[mv.booking_id])
        try:
            meaning.check_seen(mv.base_version, before.version, f"booking {before.reference}")
        except DomainError as refused:
            raise Rejected(str(refused)) from None
        if meaning.stale_fields(before, m.args, m.base_version, m.previous):
            raise Rejected(
                f"Booking {before.reference} changed on another desk after this "
                "plan was made; nothing was moved. Re-arrange again."
            )
        ctx.require(*meaning.required_actions(m.args, before))
        try:
            afters.append(meaning.booking_after(ctx.judging, before, m.args))
        except DomainError as refused:
            raise Rejected(str(refused)) from None
    moving = [b.id for b in afters]
    for after in afters:
        others = placement.in_the_way(ctx, after, besides=moving)
        others += [o for o in afters if o.id != after.id and _share(o, after)]
        if others:
            raise Rejected(
                "This re-arrangement would put two bookings on one table at the same "
                "time; nothing was moved."
            )
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


def _share(a: DomainBooking, b: DomainBooking) -> bool:
    return bool(set(a.table_ids) & set(b.table_ids)) and a.start < b.end and b.start < a.end
