"""The properties every seed must keep, checked after the network has healed.

1. Every intent saved on any desk has exactly one outcome (on the server and
   on the desk), and no outbox still holds one.
2. No booking is lost or duplicated: every booking a desk created is on the
   server exactly once, unless the server refused it — then the desk still
   has it, marked, with the refusal recorded.
3. No two active bookings hold one table at overlapping times (server and desks).
4. Every open conflict on the server is open on every desk, and no other.
5. Every desk's bookings, customers and tables equal the server's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.booking import ACTIVE
from app.models.sync_tables import SyncConflictRow, SyncOutcomeRow
from app.models.tables import OutboxRow
from app.protocol import EntityKind
from app.sync import mirror
from server.sync.models import Booking, Conflict, Customer, IntentOutcome
from server.venues.models import DiningTable
from tests.sim.desk import SimDesk


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if hasattr(value, "hex") and not isinstance(value, bytes | str | int | float):
        return str(value)
    return value


def _rows(objs: Iterable[Any], fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    names = ["id", "version", *fields]
    return {str(o.id): {n: _norm(getattr(o, n)) for n in names} for o in objs}


def _normed(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {n: _norm(v) for n, v in r.items()} for k, r in rows.items()}


def _overlaps(bookings: Iterable[dict[str, Any]]) -> list[str]:
    held: list[tuple[str, datetime, datetime, str]] = []
    for b in bookings:
        if b["status"] in {s.value for s in ACTIVE}:
            end = b["start"] + timedelta(minutes=b["duration_minutes"])
            held += [(t, b["start"], end, b["reference"]) for t in b["table_ids"]]
    found = []
    for i, (t, s, e, ref) in enumerate(held):
        for t2, s2, e2, ref2 in held[i + 1 :]:
            if t == t2 and s < e2 and s2 < e and ref != ref2:
                found.append(f"{ref} and {ref2} overlap on table {t[:8]}")
    return found


def check(sessions: Any, desks: list[SimDesk]) -> list[str]:
    """Every broken property, in words; empty when the seed passed."""
    problems: list[str] = []
    with sessions() as s:
        outcomes = s.execute(select(IntentOutcome)).scalars().all()
        server_bookings = _rows(
            s.scalars(select(Booking)),
            [*mirror.BOOKING_FIELDS, "start", "created_at", "waitlisted_at", "table_ids"],
        )
        customers = _rows(s.scalars(select(Customer)), mirror.CUSTOMER_FIELDS)
        tables = _rows(s.scalars(select(DiningTable)), mirror.TABLE_FIELDS)
        open_conflicts = {str(c.id) for c in s.scalars(select(Conflict)) if c.state == "open"}
    by_device: dict[str, list[tuple[int, str]]] = {}
    for o in outcomes:
        by_device.setdefault(str(o.device_id), []).append((o.device_seq, str(o.mutation_id)))
    references = [b["reference"] for b in server_bookings.values()]
    if len(references) != len(set(references)):
        problems.append("a booking reference appears twice on the server")
    problems += [f"server: {p}" for p in _overlaps(server_bookings.values())]
    for desk in desks:
        problems += _check_desk(desk, by_device, server_bookings, customers, tables, open_conflicts)
    return problems


def _check_desk(
    desk: SimDesk,
    by_device: dict[str, list[tuple[int, str]]],
    server_bookings: dict[str, dict[str, Any]],
    customers: dict[str, dict[str, Any]],
    tables: dict[str, dict[str, Any]],
    open_conflicts: set[str],
) -> list[str]:
    assert desk.store is not None
    problems: list[str] = []
    name = desk.name
    with desk.store.read() as reader:
        s = reader.session
        left = s.scalars(select(OutboxRow.device_seq)).all()
        local_outcomes = {
            o.device_seq: (o.mutation_id, o.outcome, o.name, o.entity_id)
            for o in s.scalars(select(SyncOutcomeRow))
        }
        bookings = _normed(mirror.read_bookings(s))
        local_customers = _normed(mirror.read_simple(s, EntityKind.CUSTOMER))
        local_tables = _normed(mirror.read_simple(s, EntityKind.TABLE))
        local_open = {c.id for c in s.scalars(select(SyncConflictRow)) if c.state == "open"}
    if left:
        problems.append(f"{name}: {len(left)} intents still in the outbox after healing")
    server_side = sorted(by_device.get(desk.device_id, []))
    if server_side != sorted(desk.saved):
        problems.append(
            f"{name}: saved intents {_short(desk.saved)} but the server has outcomes for "
            f"{_short(server_side)}"
        )
    if sorted((seq, m[0]) for seq, m in local_outcomes.items()) != sorted(desk.saved):
        problems.append(f"{name}: the desk's recorded outcomes differ from its saved intents")
    refused = {
        entity_id
        for _mid, outcome, intent, entity_id in local_outcomes.values()
        if outcome == "rejected" and intent == "create_booking"
    }
    for booking_id in desk.created:
        if booking_id not in server_bookings and booking_id not in refused:
            problems.append(f"{name}: booking {booking_id[:8]} was lost")
        if booking_id in refused and booking_id not in bookings:
            problems.append(f"{name}: refused booking {booking_id[:8]} vanished from the desk")
    shown = {k: v for k, v in bookings.items() if k not in refused or k in server_bookings}
    problems += _diff(f"{name} bookings", shown, server_bookings)
    problems += _diff(
        f"{name} customers",
        {k: v for k, v in local_customers.items() if k in customers},
        customers,
    )
    problems += _diff(f"{name} tables", local_tables, tables)
    problems += [f"{name}: {p}" for p in _overlaps(shown.values())]
    if local_open != open_conflicts:
        problems.append(
            f"{name}: open conflicts {_short(sorted(local_open))} but the server has "
            f"{_short(sorted(open_conflicts))}"
        )
    return problems


def _diff(
    what: str, mine: dict[str, dict[str, Any]], truth: dict[str, dict[str, Any]]
) -> list[str]:
    problems = []
    if set(mine) != set(truth):
        missing, extra = set(truth) - set(mine), set(mine) - set(truth)
        problems.append(f"{what}: missing {_short(missing)}, extra {_short(extra)}")
    for key in sorted(set(mine) & set(truth)):
        fields = sorted(n for n in truth[key] if mine[key].get(n) != truth[key][n])
        if fields:
            detail = ", ".join(f"{n}: {mine[key].get(n)!r} vs {truth[key][n]!r}" for n in fields)
            problems.append(f"{what} {key[:8]} differ ({detail})")
    return problems


def _short(items: Iterable[Any]) -> str:
    items = list(items)
    text = ", ".join(str(i)[:12] for i in items[:6])
    return f"[{text}{', …' if len(items) > 6 else ''}] ({len(items)})"
