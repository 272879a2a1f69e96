"""Re-applying a desk's pending intents on top of the server's rows.

A row as staff see it is the server's last-known row (the shadow) with every
intent still in the outbox applied over it in ``device_seq`` order. Each intent's
arguments say the resulting values, so this is a fold over plain dicts in the
shape of the protocol's ``*Row`` models; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.domain.booking import ACTIVE, BookingStatus
from app.models.tables import OutboxRow
from app.sync.protocol import EntityKind, IntentName, Resolution

Key = tuple[EntityKind, str]
Row = dict[str, Any]
# The detail of a conflict by id, as last pulled (for resolve_conflict).
ConflictDetail = Callable[[str], Mapping[str, Any] | None]

B, C, T = EntityKind.BOOKING, EntityKind.CUSTOMER, EntityKind.TABLE
A, J = EntityKind.AREA, EntityKind.COMBINATION
# Intents that set a floor-plan row's own fields outright, and the row each sets.
FLOOR_INTENTS = {
    IntentName.UPDATE_TABLE: T,
    IntentName.UPDATE_AREA: A,
    IntentName.UPDATE_COMBINATION: J,
}
S = BookingStatus


def keys_of(intent: OutboxRow) -> list[Key]:
    """Every row an intent changes when it is applied locally."""
    name = IntentName(intent.name)
    if name is IntentName.CREATE_BOOKING:
        return [(C, str(intent.args["customer"]["id"])), (B, intent.entity_id)]
    if name is IntentName.REARRANGE:
        return [(B, str(m["booking_id"])) for m in intent.args["moves"]]
    if name is IntentName.UPSERT_CUSTOMER:
        return [(C, intent.entity_id)]
    if name in FLOOR_INTENTS:
        return [(FLOOR_INTENTS[name], intent.entity_id)]
    return [(B, intent.entity_id)]


def apply(
    key: Key, row: Row | None, intent: OutboxRow, venue_id: str, conflicts: ConflictDetail
) -> Row | None:
    """The row after ``intent``; ``None`` while nothing is known of it yet."""
    kind, entity_id = key
    name = IntentName(intent.name)
    a = intent.args
    stamp = intent.device_time.isoformat()
    if kind is C:
        if name is IntentName.CREATE_BOOKING:
            return row if row is not None else _customer(a["customer"], venue_id, stamp)
        if name is IntentName.UPSERT_CUSTOMER:
            return {**(row or _customer(a, venue_id, stamp)), **_customer_fields(a)}
        return row
    if kind in (T, A, J):
        base = row or {"id": entity_id, "venue_id": venue_id, "version": 0}
        if kind is T:
            base = {"min_spend_pence": 0, **base}
        return {**base, **a, "updated_at": stamp}
    if name is IntentName.CREATE_BOOKING:
        return row if row is not None else _created(intent, venue_id, stamp)
    if row is None:
        return None
    changed = _booking_change(row, name, a, entity_id, conflicts)
    return {**row, **changed, "updated_at": stamp} if changed else row


def _booking_change(
    row: Row, name: IntentName, a: Mapping[str, Any], entity_id: str, conflicts: ConflictDetail
) -> Row:
    match name:
        case IntentName.MOVE_BOOKING:
            keys = ("table_ids", "combined", "start", "duration_minutes")
            return {k: a[k] for k in keys}
        case IntentName.EDIT_DETAILS:
            return {k: v for k, v in a.items() if v is not None}
        case IntentName.SET_STATUS:
            changed: Row = {"status": a["status"]}
            if a["status"] == S.WAITLISTED:
                changed |= {"table_ids": [], "combined": False}
            elif a.get("table_ids") is not None:
                changed |= {"table_ids": a["table_ids"], "combined": bool(a.get("combined"))}
            return changed
        case IntentName.CANCEL:
            return {"status": S.CANCELLED.value}
        case IntentName.REARRANGE:
            for move in a["moves"]:
                if str(move["booking_id"]) == entity_id:
                    return {"table_ids": move["table_ids"], "combined": move["combined"]}
            return {}
        case IntentName.RESOLVE_CONFLICT:
            return apply_resolution(row, a, conflicts(str(a["conflict_id"])) or {})
    return {}


def restored_status(detail: Mapping[str, Any]) -> str:
    """The status the booking wanted before it was put in conflict (the server's rule)."""
    mine = detail.get("mine") or {}
    wanted = str(mine.get("status", "")) if isinstance(mine, Mapping) else ""
    return wanted if wanted in {s.value for s in ACTIVE} else S.CONFIRMED.value


def apply_resolution(row: Row, a: Mapping[str, Any], detail: Mapping[str, Any]) -> Row:
    resolution = Resolution(a["resolution"])
    if resolution is Resolution.KEEP_THEIRS:
        return {}
    if resolution is Resolution.CANCEL:
        return {"status": S.CANCELLED.value}
    if resolution is Resolution.WAITLIST:
        return {"status": S.WAITLISTED.value, "table_ids": [], "combined": False}
    restored = restored_status(detail) if row.get("status") == S.CONFLICT else row["status"]
    if resolution is Resolution.KEEP_BOTH:
        return {"status": restored, "table_ids": [], "combined": False}
    if resolution is Resolution.MOVE:
        changed: Row = {
            "status": restored,
            "table_ids": a.get("table_ids") or [],
            "combined": bool(a.get("combined")),
        }
        if a.get("start"):
            changed["start"] = a["start"]
        return changed
    mine = detail.get("mine") or {}
    if detail.get("fields") and isinstance(mine, Mapping):
        keep = ("status", "table_ids", "start", "duration_minutes", "party_size", "notes")
        return {k: mine[k] for k in keep if k in mine}
    return {"status": restored}


def _customer_fields(c: Mapping[str, Any]) -> Row:
    return {
        "name": c["name"],
        "phone": c["phone"],
        "email": c.get("email"),
        "vip": bool(c.get("vip", False)),
        "tags": list(c.get("tags", [])),
        "notes": c.get("notes", ""),
        "marketing_consent": bool(c.get("marketing_consent", False)),
    }


def _customer(c: Mapping[str, Any], venue_id: str, stamp: str) -> Row:
    base = {"id": str(c["id"]), "venue_id": venue_id, "version": 0, "updated_at": stamp}
    return base | _customer_fields(c)


def _created(intent: OutboxRow, venue_id: str, stamp: str) -> Row:
    a = intent.args
    keep = (
        "reference",
        "party_size",
        "start",
        "duration_minutes",
        "table_ids",
        "combined",
        "status",
        "special_requests",
        "occasion",
        "notes",
        "priority_score",
        "deposit_state",
        "deposit_pence",
        "source",
        "waitlisted_at",
    )
    return {
        "id": intent.entity_id,
        "venue_id": venue_id,
        "version": 0,
        "updated_at": stamp,
        "created_at": stamp,
        "customer_id": str(a["customer"]["id"]),
        **{k: a.get(k) for k in keep},
    }
