"""Writing rows in the protocol's ``*Row`` shape into the desk's own tables, and back.

``write`` puts a row where the desk's use cases and views read it; ``read`` gives
a local row in the server's shape, so a desk can be compared with the server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import protocol as p
from app.domain import consent
from app.domain.booking import BOOKING_FIELDS
from app.domain.permissions import Role
from app.domain.staff import Matched
from app.domain.venue import Venue
from app.models import convert
from app.models.batch import rows_by_key
from app.models.convert import TABLE_FIELDS
from app.models.erasure import forget_guest
from app.models.ledger_repository import write_pulled
from app.models.link_repository import write_pulled_links
from app.models.message_repository import write_pulled_messages, write_pulled_replies
from app.models.policy_repository import write_pulled_policies
from app.models.sync_tables import SyncNoticeRow, SyncStaffAliasRow, VenueRefusalRow
from app.models.tables import (
    AreaRow,
    BookingRow,
    CombinationRow,
    CustomerRow,
    OutboxRow,
    StaffRow,
    TableRow,
)
from app.protocol import EntityKind
from app.protocol.codec import booking_of
from app.protocol.rows import (
    DepositPolicyRow,
    DepositRequestRow,
    LedgerRow,
    MessageReplyRow,
    MessageRow,
)

Row = Mapping[str, Any]
E = EntityKind
STAFF_MATCH = "staff_match"
NO_MANAGER = "no_manager"


def _own_fields(model: type[p.Row]) -> tuple[str, ...]:
    """A synced row's own fields: its wire model's, beside the sync stamps."""
    return tuple(n for n in model.model_fields if n not in p.Row.model_fields)


CUSTOMER_FIELDS = _own_fields(p.CustomerRow)
AREA_FIELDS = _own_fields(p.AreaRow)
COMBINATION_FIELDS = _own_fields(p.CombinationRow)


def instant(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value)).astimezone(UTC)


def write(
    session: Session,
    kind: EntityKind,
    row: Row,
    venue: Venue,
    at: datetime,
    known: dict[str, Any] | None = None,
) -> None:
    """Put ``row`` in the desk's own table (flushed by the caller); ``at``: when it arrived.

    ``known``: rows of its kind read ahead by ``prefetch`` (None where there is none), so
    that no row is looked up again; any row not in it is looked up in the session."""
    if kind is E.BOOKING:
        _booking(session, row, venue, {} if known is None else known)
    elif kind is E.STAFF:
        _staff(session, row, at)
    else:
        model, fields = _SIMPLE[kind]
        target = _found(session, model, str(row["id"]), {} if known is None else known)
        known_guest = kind is E.CUSTOMER and target.name is not None
        if known_guest and row.get("erased_at") and target.erased_at is None:
            # Read before the erased record is written over it: who to look for.
            forget_guest(session, target, at)
        for name in fields:
            value = row.get(name)
            setattr(target, name, _plain(name, value))
        _synced(target, row)


def venue_refusals(session: Session, own_device_id: str, changes: list[p.Change]) -> None:
    """Keep the other desks' refusals as the server has them (this desk's own are its
    outcomes already); whether staff here acknowledged one stays this desk's own."""
    for change in changes:
        row = change.row()
        assert isinstance(row, p.RefusalRow)
        if str(row.device_id) == own_device_id:
            continue
        target = session.get(VenueRefusalRow, str(row.id))
        if target is None:
            target = VenueRefusalRow(id=str(row.id), acknowledged=False)
            session.add(target)
        target.device_id, target.device_name = str(row.device_id), row.device_name
        target.device_seq, target.name = row.device_seq, row.name
        target.entity_id, target.staff_id = str(row.entity_id), str(row.staff_id)
        target.args, target.reason = row.args, row.reason
        target.refused_at, target.settled, target.version = (
            row.refused_at,
            row.settled,
            row.version,
        )


def ledger(session: Session, changes: list[p.Change]) -> None:
    """The server's deposit ledger entries; each replaces this desk's unsent copy of it."""
    rows = [change.row() for change in changes]
    write_pulled(session, [r for r in rows if isinstance(r, LedgerRow)])


def links(session: Session, changes: list[p.Change]) -> None:
    """The deposit payment links the server made (app.domain.deposit_links)."""
    rows = [change.row() for change in changes]
    write_pulled_links(session, [r for r in rows if isinstance(r, DepositRequestRow)])


def messages(session: Session, changes: list[p.Change]) -> None:
    """The guest messages the server queued and the replies it received (docs/messages.md)."""
    rows = [change.row() for change in changes]
    write_pulled_messages(session, [r for r in rows if isinstance(r, MessageRow)])
    write_pulled_replies(session, [r for r in rows if isinstance(r, MessageReplyRow)])


def policies(session: Session, changes: list[p.Change]) -> None:
    """The venue's deposit policy versions; the newest becomes the one this desk prices by."""
    rows = [change.row() for change in changes]
    write_pulled_policies(session, [r for r in rows if isinstance(r, DepositPolicyRow)])


def prefetch(session: Session, kind: EntityKind, ids: list[str]) -> dict[str, Any]:
    """The rows about to be written, read in one query (None where there is none yet)."""
    model = BookingRow if kind is E.BOOKING else StaffRow if kind is E.STAFF else _SIMPLE[kind][0]
    return rows_by_key(session, model, model.id, ids)


def _found(session: Session, model: type[Any], id_: str, known: dict[str, Any]) -> Any:
    """The desk's row ``id_`` of ``model``, made (and added) if it has none."""
    target = known[id_] if id_ in known else session.get(model, id_)
    if target is None:
        target = known[id_] = model(id=id_)
        session.add(target)
    return target


def _plain(name: str, value: Any) -> Any:
    if name in ("area_id",):
        return str(value)
    if name == "table_ids":
        return [str(t) for t in value]
    if name == "consent":
        return consent.to_json(consent.from_json(value))  # one spelling of times on the desk
    if name == "active" and value is None:
        return True  # an older server sends no flag: everything was in use
    if name == "erased_at":
        return instant(value)
    return value


def _synced(target: Any, row: Row) -> None:
    target.venue_id = str(row["venue_id"])
    target.version = int(row["version"])
    target.updated_at = instant(row["updated_at"])


def _booking(session: Session, row: Row, venue: Venue, known: dict[str, Any]) -> None:
    booking = booking_of(row)
    target = _found(session, BookingRow, booking.id, known)
    convert.fill_booking(target, booking, venue.service_day(booking.start))


def _staff(session: Session, row: Row, at: datetime) -> None:
    """Mirror a staff member; a local one of the same username takes the server's id.

    A desk seeded before it was registered made its own staff ids; the server's
    are the truth, so the local row (and its PIN) is re-keyed, and so are the
    intents still waiting to be sent under the old id. The match is never silent:
    it is recorded on the desk and shown to staff (``SyncNoticeRow``). A server row
    without a PIN hash never wipes the PIN a person has on this desk.
    """
    staff_id = str(row["id"])
    target = session.get(StaffRow, staff_id)
    if target is None:
        same_name = session.scalars(
            select(StaffRow).where(StaffRow.username == row["username"])
        ).one_or_none()
        if same_name is not None:
            old = same_name.id
            _record_match(session, same_name, row, old, at)
            session.execute(update(StaffRow).where(StaffRow.id == old).values(id=staff_id))
            _rekey_queued(session, old, staff_id)
            session.add(SyncStaffAliasRow(old_id=old, new_id=staff_id))
            session.expire_all()
            target = session.get(StaffRow, staff_id)
        else:
            target = StaffRow(id=staff_id, pin_hash=None)
            session.add(target)
    assert target is not None
    target.venue_id = str(row["venue_id"])
    target.username = str(row["username"])
    target.name = str(row["name"])
    target.role = str(row["role"])
    target.active = bool(row["active"])
    if row.get("pin_hash"):
        # The desk PIN set by an admin on another desk (docs/architecture.md, "Staff and PINs").
        target.pin_hash = str(row["pin_hash"])


def _record_match(session: Session, desk: StaffRow, row: Row, old_id: str, at: datetime) -> None:
    matched = Matched(
        username=desk.username,
        desk_name=desk.name,
        desk_role=Role(desk.role),
        server_name=str(row["name"]),
        server_role=Role(str(row["role"])),
        server_active=bool(row["active"]),
        pin_from_server=bool(row.get("pin_hash")),
    )
    detail = {
        "username": desk.username,
        "desk": {"id": old_id, "name": desk.name, "role": desk.role, "active": desk.active},
        "server": {
            "id": str(row["id"]),
            "name": matched.server_name,
            "role": matched.server_role.value,
            "active": matched.server_active,
        },
        "pin": "server" if matched.pin_from_server else "kept",
    }
    session.add(
        SyncNoticeRow(created_at=at, kind=STAFF_MATCH, message=matched.notice, detail=detail)
    )


def mark_refused(session: Session, booking_id: str) -> None:
    """A new booking the server refused outright: kept here, in conflict, holding no table."""
    target = session.get(BookingRow, booking_id)
    if target is None:
        return
    target.status = "conflict"
    target.tables = []
    session.flush()


def mark_refused_floor_row(session: Session, kind: EntityKind, entity_id: str) -> None:
    """A table, area, combination or staff member the server refused to create: kept,
    out of use (the refusal, shown in the inbox, says why)."""
    target = session.get(StaffRow if kind is E.STAFF else _SIMPLE[kind][0], entity_id)
    if target is not None:
        target.active = False
        session.flush()


_SIMPLE: dict[EntityKind, tuple[type[Any], tuple[str, ...]]] = {
    E.CUSTOMER: (CustomerRow, CUSTOMER_FIELDS),
    E.TABLE: (TableRow, TABLE_FIELDS),
    E.AREA: (AreaRow, AREA_FIELDS),
    E.COMBINATION: (CombinationRow, COMBINATION_FIELDS),
}


def read_bookings(session: Session) -> dict[str, dict[str, Any]]:
    """Every local booking, every field (times as aware datetimes, tables sorted)."""
    out: dict[str, dict[str, Any]] = {}
    for row in session.scalars(select(BookingRow)):
        b = convert.booking(row)
        fields = {name: getattr(b, name) for name in BOOKING_FIELDS}
        fields["table_ids"] = sorted(b.table_ids)
        out[b.id] = {k: v.value if isinstance(v, Enum) else v for k, v in fields.items()}
    return out


def read_simple(session: Session, kind: EntityKind) -> dict[str, dict[str, Any]]:
    model, fields = _SIMPLE[kind]
    return {
        r.id: {"id": r.id, "version": r.version, **{n: getattr(r, n) for n in fields}}
        for r in session.scalars(select(model))
    }


def _rekey_queued(session: Session, old: str, new: str) -> None:
    """Queued intents recorded under a staff id the server knows by another.

    Bodies are rewritten only here, on the pull that meets the server's staff
    (a desk pulls before it first pushes), never between two sends of one intent.
    The audit events inside keep the id they were chained with.
    """
    for row in session.scalars(select(OutboxRow)):
        body = json.loads(row.body)
        changed = False
        if body.get("staff_id") == old:
            body["staff_id"], changed = new, True
        if body.get("name") == "update_staff" and body.get("entity_id") == old:
            # An admin's change to the matched person themself, made before this pull.
            body["entity_id"], row.entity_id, changed = new, new, True
        if changed:
            row.body = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    session.flush()
