"""Judges of the floor-plan intents: tables, areas and combinations (last writer wins)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select, text

from app import protocol as p
from app.domain.booking import ACTIVE
from app.domain.floor_edits import TableUse, refuse_stranding
from app.domain.floorplan import Area as DomainArea
from app.domain.floorplan import Combination as DomainCombination
from app.domain.floorplan import Shape
from app.domain.floorplan import Table as DomainTable
from app.domain.limits import MAX_DURATION
from app.protocol import meaning
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict
from server.sync.models import Booking
from server.sync.placement import lock_tables
from server.venues.models import Area, Combination, DiningTable
from server.venues.service import domain_plan

# pg_advisory_xact_lock(FLOOR_LOCK, hashtext(venue id)): one floor-plan edit per venue at a time.
FLOOR_LOCK = 0x0F100F


def lock_floor(ctx: IntentContext) -> None:
    """Floor-plan edits of one venue are judged one at a time, each on the plan as it is
    now, so two desks cannot both pass a check only one may (the same join made twice,
    a table moved into an area that is being removed)."""
    ctx.session.execute(
        text("SELECT pg_advisory_xact_lock(:lock, hashtext(:venue))"),
        {"lock": FLOOR_LOCK, "venue": str(ctx.venue_id)},
    )


def update_table(ctx: IntentContext, m: p.UpdateTable) -> Verdict:
    a = m.args
    ctx.require(*meaning.required_actions(m.args, None))
    lock_floor(ctx)
    area = ctx.session.get(Area, a.area_id, populate_existing=True)
    if area is None or area.venue_id != ctx.venue_id:
        raise Rejected(f"There is no area {a.area_id} in this venue.")
    if not area.active:
        raise Rejected(f"Area {area.name} was removed; choose another area for table {a.number}.")
    table = ctx.session.get(DiningTable, m.entity_id, with_for_update=True)
    if table is not None and table.venue_id != ctx.venue_id:
        raise Rejected("This table belongs to another venue.")
    meaning.check_seen(m.base_version, table.version if table else 0, f"table {a.number}")
    # Bookings being made on the table wait for this edit, or are seen by it.
    lock_tables(ctx, [m.entity_id])
    fields = meaning.floor_fields(m)
    wanted = DomainTable(
        id=str(m.entity_id),
        number=a.number,
        area_id=str(a.area_id),
        min_covers=a.min_covers,
        max_covers=a.max_covers,
        name=a.name,
        shape=Shape(a.shape) if a.shape in Shape._value2member_map_ else Shape.SQUARE,
        active=a.active,
        min_spend_pence=fields.get("min_spend_pence", table.min_spend_pence if table else 0),
    )
    plan = domain_plan(ctx.session, ctx.venue_id)
    after = plan.with_table(wanted)
    refuse_stranding(plan, after, _uses(ctx, table=m.entity_id), ctx.rules.venue, wanted.label)
    if table is None:
        table = DiningTable(id=m.entity_id, venue_id=ctx.venue_id, version=0, min_spend_pence=0)
        ctx.session.add(table)
    for name, value in fields.items():
        setattr(table, name, value)
    table.updated_at = ctx.now
    ctx.touch(table)
    ctx.session.flush()
    return APPLIED


def update_area(ctx: IntentContext, m: p.UpdateArea) -> Verdict:
    """Add, rename, flag or remove an area. Like tables, the last writer wins: a stale
    base version is not a conflict, and the audit trail keeps both versions."""
    a = m.args
    ctx.require(*meaning.required_actions(m.args, None))
    lock_floor(ctx)
    area = ctx.session.get(Area, m.entity_id, with_for_update=True, populate_existing=True)
    if area is not None and area.venue_id != ctx.venue_id:
        raise Rejected("This area belongs to another venue.")
    meaning.check_seen(m.base_version, area.version if area else 0, f"area {a.name}")
    plan = domain_plan(ctx.session, ctx.venue_id)
    name, vip = a.name, a.vip
    if a.active:
        tidy = plan.with_area(DomainArea(str(m.entity_id), a.name, a.vip)).area(str(m.entity_id))
        name = tidy.name
    elif area is None:
        raise Rejected(f"There is no area {m.entity_id} in this venue to remove.")
    else:
        if area.active:
            plan.without_area(str(m.entity_id))
        name, vip = area.name, area.vip
    if area is None:
        area = Area(id=m.entity_id, venue_id=ctx.venue_id, version=0)
        ctx.session.add(area)
    area.name, area.vip, area.active = name, vip, a.active
    area.updated_at = ctx.now
    ctx.touch(area)
    ctx.session.flush()
    return APPLIED


def update_combination(ctx: IntentContext, m: p.UpdateCombination) -> Verdict:
    """Add, change or retire a combination (last writer wins, as for tables).

    Refused while a booking that has not ended sits on the join and would no
    longer fit it; the join's tables are locked first, so a booking being made
    on them is either seen here or waits for this change.
    """
    a = m.args
    ctx.require(*meaning.required_actions(m.args, None))
    lock_floor(ctx)
    combo = ctx.session.get(Combination, m.entity_id, with_for_update=True, populate_existing=True)
    if combo is not None and combo.venue_id != ctx.venue_id:
        raise Rejected("This combination belongs to another venue.")
    meaning.check_seen(m.base_version, combo.version if combo else 0, f"join {a.name}")
    if not a.active and combo is None:
        raise Rejected(f"There is no combination {m.entity_id} in this venue to retire.")
    lock_tables(ctx, sorted({*a.table_ids, *(combo.table_ids if combo else ())}))
    plan = domain_plan(ctx.session, ctx.venue_id)
    entity = str(m.entity_id)
    if a.active:
        wanted = DomainCombination(
            entity,
            a.name,
            frozenset(str(t) for t in a.table_ids),
            a.min_party,
            a.max_party,
            a.strategy,
        )
        after = plan.with_combination(wanted)
        tidy = after.combination(entity)
    else:
        after = plan.without_combination(entity) if combo and combo.active else plan
    refuse_stranding(plan, after, _uses(ctx), ctx.rules.venue)
    if combo is None:
        combo = Combination(id=m.entity_id, venue_id=ctx.venue_id, version=0)
        ctx.session.add(combo)
    if a.active:
        combo.name, combo.strategy = tidy.name, tidy.strategy
        combo.table_ids = sorted(set(a.table_ids))
        combo.min_party, combo.max_party = tidy.min_party, tidy.max_party
    combo.active = a.active
    combo.updated_at = ctx.now
    ctx.touch(combo)
    ctx.session.flush()
    return APPLIED


def _uses(ctx: IntentContext, table: uuid.UUID | None = None) -> list[TableUse]:
    """Active bookings that have not ended: on ``table``, or (None) on joined tables."""
    on = (
        func.cardinality(Booking.table_ids) > 1
        if table is None
        else Booking.table_ids.contains([table])
    )
    rows = ctx.session.scalars(
        select(Booking).where(
            Booking.venue_id == ctx.venue_id,
            Booking.status.in_([s.value for s in ACTIVE]),
            Booking.start > ctx.now - timedelta(minutes=MAX_DURATION),
            on,
        )
    )
    uses = (
        TableUse(
            b.reference,
            frozenset(str(t) for t in b.table_ids),
            b.party_size,
            b.start,
            b.start + timedelta(minutes=b.duration_minutes),
        )
        for b in rows
    )
    return [u for u in uses if u.end > ctx.now]
