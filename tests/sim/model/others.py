"""Guests and the floor plan: last writer wins (docs/sync.md, "Floor-plan edits").

A new booking's guest is added (name tidied) or, if known, keeps their record
and gains only an email they did not have. ``upsert_customer`` writes the guest
as given, notes written over an unseen version merged. Floor intents set the
row's own fields from the intent; their rules are docs/sync.md's table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.sim.model import roles
from tests.sim.model.rows import HOLDING, Customer
from tests.sim.model.rules import merged_text
from tests.sim.model.state import Ctx, Refused, Verdict
from tests.sim.model.venue import Deposits

TABLE_DEFAULTS = {"name": "", "shape": "square", "rotation": 0.0, "booth": False, "vip": False}
NAME_LENGTH = 80


def tidy(name: str) -> str:
    return " ".join(name.split())


def _guest(ctx: Ctx, given: dict[str, Any], notes: str) -> Customer:
    return Customer(
        id=str(given["id"]),
        venue_id=ctx.state.venue.id,
        name=tidy(given["name"]),
        phone=given["phone"],
        email=given.get("email"),
        vip=bool(given.get("vip", False)),
        tags=tuple(given.get("tags") or ()),
        notes=notes,
        # The simulator never records consent: it asserts only that none appears.
        consent=tuple(given.get("consent") or ()),
        updated_at=ctx.at,
    )


def booked_customer(ctx: Ctx, known: Customer | None, given: dict[str, Any]) -> None:
    if known is None:
        ctx.writes.customers[str(given["id"])] = _guest(ctx, given, given.get("notes", ""))
    elif not known.email and given.get("email"):
        ctx.writes.customers[known.id] = replace(known, email=given["email"], updated_at=ctx.at)


def upsert_customer(ctx: Ctx) -> Verdict:
    m, a = ctx.intent, ctx.intent.args
    if m.entity_id != str(a["id"]):
        raise Refused(("entity_mismatch",))
    known = ctx.state.customers.get(m.entity_id)
    vip = bool(a.get("vip", False))
    # Making a guest a VIP, or no longer one, is flagging a VIP.
    flagging = vip != bool(known and known.vip) and (vip or known is not None)
    roles.require(ctx.staff, roles.CREATE, *([roles.FLAG_VIP] if flagging else []))
    stale = known is not None and m.base_version < known.version
    notes = a.get("notes", "")
    if known is not None:
        seen = m.previous.get("notes") if stale else None
        signature = ctx.state.venue.signature(ctx.staff.name, m.device_time)
        notes = merged_text(known.notes, seen, notes, signature)
    ctx.writes.customers[m.entity_id] = _guest(ctx, a, notes)
    return Verdict("merged" if stale else "applied", writes=ctx.writes)


def update_table(ctx: Ctx) -> Verdict:
    m, a, plan = ctx.intent, ctx.intent.args, ctx.state.plan
    roles.require(ctx.staff, roles.FLOOR)
    area = plan.areas.get(str(a["area_id"]))
    if area is None:
        raise Refused(("no_area",))
    if not area["active"]:
        raise Refused(("area_removed",))
    if not 1 <= a["min_covers"] <= a["max_covers"]:
        raise Refused(("covers",))
    active = a.get("active", True)
    if active and any(
        t["active"] and t["number"] == a["number"] and t["id"] != m.entity_id
        for t in plan.tables.values()
    ):
        raise Refused(("number_taken", a["number"]))
    _refuse_stranding(ctx, active, a["max_covers"])
    row = dict(plan.tables.get(m.entity_id) or {"id": m.entity_id, "min_spend_pence": 0})
    # A minimum spend left out (an older desk's intent) stays as it was.
    given = {k: v for k, v in a.items() if k != "area_id" and v is not None}
    row |= TABLE_DEFAULTS | given
    row |= {"area_id": str(a["area_id"]), "active": active, "venue_id": ctx.state.venue.id}
    row |= {"updated_at": ctx.at, "version": row.get("version", 0)}
    ctx.writes.tables[m.entity_id] = row
    return Verdict("applied", writes=ctx.writes)


def _refuse_stranding(ctx: Ctx, active: bool, max_covers: int) -> None:
    """A table may not shrink below what a join through it promises, nor be retired or
    shrunk under a party on it that has not left (a party on it alone: too many for it)."""
    table_id, plan = ctx.intent.entity_id, ctx.state.plan
    before = plan.tables.get(table_id)
    if before is None:
        return
    if active:
        for combo in plan.combinations.values():
            if not combo["active"] or table_id not in combo["table_ids"]:
                continue
            was = sum(plan.tables[t]["max_covers"] for t in combo["table_ids"])
            if was - before["max_covers"] + max_covers < combo["max_party"] <= was:
                raise Refused(("join_promise",))
    for b in ctx.state.bookings.values():
        if b.status not in HOLDING or table_id not in b.table_ids or b.end <= ctx.at:
            continue
        alone = len(b.table_ids) == 1
        sat = before["active"] and (not alone or b.party_size <= before["max_covers"])
        if sat and (not active or (alone and b.party_size > max_covers)):
            raise Refused(("stranded",))


def update_area(ctx: Ctx) -> Verdict:
    m, a, plan = ctx.intent, ctx.intent.args, ctx.state.plan
    roles.require(ctx.staff, roles.FLOOR)
    area = plan.areas.get(m.entity_id)
    active = a.get("active", True)
    name, vip = tidy(a["name"]), bool(a.get("vip", False))
    if active:
        if not name or len(name) > NAME_LENGTH:
            raise Refused(("area_name",))
        if any(
            o["active"] and o["id"] != m.entity_id and o["name"].casefold() == name.casefold()
            for o in plan.areas.values()
        ):
            raise Refused(("area_name_taken",))
    elif area is None:
        raise Refused(("no_area",))
    else:
        if area["active"]:
            if any(t["active"] and t["area_id"] == m.entity_id for t in plan.tables.values()):
                raise Refused(("area_has_tables",))
            if sum(1 for o in plan.areas.values() if o["active"]) == 1:
                raise Refused(("only_area",))
        name, vip = area["name"], area["vip"]
    row = dict(area or {"id": m.entity_id, "venue_id": ctx.state.venue.id, "version": 0})
    row |= {"name": name, "vip": vip, "active": active, "updated_at": ctx.at}
    ctx.writes.areas[m.entity_id] = row
    return Verdict("applied", writes=ctx.writes)


def update_combination(ctx: Ctx) -> Verdict:
    """A manager's join of tables (tests/sim/actions.py ``join``); checks as docs/sync.md's."""
    m, a, state = ctx.intent, ctx.intent.args, ctx.state
    roles.require(ctx.staff, roles.FLOOR)
    combo = state.plan.combinations.get(m.entity_id)
    active = a.get("active", True)
    if not active and combo is None:
        raise Refused(("no_combination",))
    ids = sorted({str(t) for t in a["table_ids"]})
    if active:
        tables = [state.plan.tables.get(t) for t in ids]
        if any(t is None or not t["active"] for t in tables):
            raise Refused(("combination_tables",))
        if a["max_party"] > sum(t["max_covers"] for t in tables if t) or not (
            1 <= a["min_party"] <= a["max_party"]
        ):
            raise Refused(("combination_range",))
        if any(
            c["active"] and c["id"] != m.entity_id and sorted(map(str, c["table_ids"])) == ids
            for c in state.plan.combinations.values()
        ):
            raise Refused(("combination_taken",))
    row = dict(combo or {"id": m.entity_id, "venue_id": state.venue.id, "version": 0})
    if active:
        numbers = " + ".join(str(n) for n in sorted(state.plan.tables[t]["number"] for t in ids))
        row |= {"name": tidy(a["name"]) or numbers, "strategy": a.get("strategy", "COMBINED")}
        row |= {"table_ids": tuple(ids), "min_party": a["min_party"], "max_party": a["max_party"]}
    row |= {"active": active, "updated_at": ctx.at}
    if _strands(ctx, combo, row):
        raise Refused(("stranded",))
    ctx.writes.combinations[m.entity_id] = row
    return Verdict("applied", writes=ctx.writes)


def _strands(ctx: Ctx, before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """A booking on a join that has not ended, seated by the plan now but not after."""
    plan = ctx.state.plan
    saved = dict(plan.combinations)
    try:
        for b in ctx.state.bookings.values():
            if b.status not in HOLDING or len(b.table_ids) < 2 or b.end <= ctx.at:
                continue
            if not plan.seats(b.table_ids, b.party_size):
                continue
            plan.combinations[after["id"]] = after
            plan.refresh()
            fits = plan.seats(b.table_ids, b.party_size)
            plan.combinations.clear()
            plan.combinations.update(saved)
            plan.refresh()
            if not fits:
                return True
        return False
    finally:
        plan.combinations.clear()
        plan.combinations.update(saved)
        plan.refresh()


def set_deposit_policy(ctx: Ctx) -> Verdict:
    """A manager's new deposits and packages: one version above the one in force (the
    server numbers nothing itself), and not the terms in force again."""
    a = ctx.intent.args
    roles.require(ctx.staff, roles.PRICES)
    current = ctx.state.venue.deposits
    if a["policy_version"] != current.version + 1:
        raise Refused(("prices_overtaken", current.version))
    wanted = Deposits.of({**a["terms"], "version": a["policy_version"]})
    if replace(wanted, version=current.version) == current:
        raise Refused(("prices_same",))
    ctx.writes.deposits = wanted
    return Verdict("applied", writes=ctx.writes)
