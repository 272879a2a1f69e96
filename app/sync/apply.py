"""Applying one page of the server's changes to a desk, in one SQLite transaction.

Rules (docs/sync.md, "Pull and apply"):
* the page is applied only if the desk's cursor is still the one it asked
  from, so a late or repeated answer is ignored rather than applied twice;
* each outcome is recorded once and its intent leaves the outbox — the only
  way an outbox entry is ever deleted;
* every server row goes into the shadow table, and every row the page touched
  (a changed row, or the target of an acknowledged intent) is rebuilt as
  shadow + still-pending intents, so a refused or conflicting change is undone
  on screen and the server's answer shown instead;
* a new booking the server refused outright has no server row: it stays on the
  desk, in conflict, holding no table, with the reason in its outcome;
* the cursor advances in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.plan_data import venue_from_dict
from app.domain.staff import MANAGING, can_manage_here, nobody_to_manage
from app.domain.venue import Venue
from app.models.batch import rows_by_key
from app.models.erasure import forget_in_refusals
from app.models.staff_repository import staff_member
from app.models.sync_tables import (
    SyncConflictRow,
    SyncHoldRow,
    SyncNoticeRow,
    SyncOutcomeRow,
    SyncShadowRow,
)
from app.models.tables import DeviceRow, OutboxRow, StaffRow, VenueRow
from app.models.uow import Store
from app.protocol import (
    ChangesPage,
    ConflictRecord,
    EntityKind,
    IntentName,
    OutcomeKind,
)
from app.protocol.meaning import parse
from app.sync import mirror, overlay
from app.sync.holds import DEFAULT_LIFETIME
from app.sync.overlay import Key
from app.sync.replaying import Replay

# Rebuilt in this order so a booking's customer and tables exist before it.
ORDER = [
    EntityKind.AREA,
    EntityKind.TABLE,
    EntityKind.COMBINATION,
    EntityKind.STAFF,
    EntityKind.CUSTOMER,
    EntityKind.BOOKING,
]


# Rows kept as the server sends them, never rebuilt with pending intents on top.
NOT_OVERLAID = frozenset(
    {
        EntityKind.REFUSAL,
        EntityKind.LEDGER,
        EntityKind.DEPOSIT_REQUEST,
        EntityKind.DEPOSIT_POLICY,
        EntityKind.MESSAGE,
        EntityKind.MESSAGE_REPLY,
    }
)
MESSAGES = frozenset({EntityKind.MESSAGE, EntityKind.MESSAGE_REPLY})

# A hold's expiry in this desk's wall time (its clock may be far from the server's).
LOCAL_EXPIRY = "expires_local"


def apply_page(
    store: Store,
    after: int,
    page: ChangesPage,
    received_at: datetime,
    server_now: datetime | None = None,
) -> bool:
    """Apply ``page`` (asked for with ``after``); False if the desk had moved on.

    ``server_now`` (the answer's Date header) turns each hold's server expiry into
    this desk's wall time, so a desk whose clock is hours out still sees the hold
    run out when it does.
    """
    if _nothing_new(store, after, page):
        return True
    with store.unit_of_work() as uow:
        session = uow.session
        device = session.scalars(select(DeviceRow)).one()
        if device.pull_cursor != after:
            return False
        venue = _venue(session)
        touched: set[Key] = set()
        refused = _record_outcomes(session, page, received_at, touched)
        rows = [c for c in page.changes if c.entity not in NOT_OVERLAID]
        mirror.venue_refusals(
            session, device.id, [c for c in page.changes if c.entity is EntityKind.REFUSAL]
        )
        mirror.ledger(session, [c for c in page.changes if c.entity is EntityKind.LEDGER])
        mirror.links(session, [c for c in page.changes if c.entity is EntityKind.DEPOSIT_REQUEST])
        mirror.messages(session, [c for c in page.changes if c.entity in MESSAGES])
        # Before the rebuild: pending intents are replayed under the policy they will meet.
        mirror.policies(session, [c for c in page.changes if c.entity is EntityKind.DEPOSIT_POLICY])
        shadows = _shadows(session, {(c.entity, str(c.id)) for c in rows})
        for change in rows:
            data = change.model_dump(mode="json")["data"]
            _shadow(session, shadows, change.entity, str(change.id), change.version, data)
            touched.add((change.entity, str(change.id)))
        _conflicts(session, page.conflicts)
        _holds(session, page, received_at, server_now)
        staff_changed = any(k is EntityKind.STAFF for k, _ in touched)
        could_manage = staff_changed and _someone_can_manage(session)
        _rebuild(session, touched, device.venue_id, venue, received_at)
        if could_manage and not _someone_can_manage(session):
            _warn_nobody_to_manage(session, received_at)
        for booking_id in refused.creates:
            if session.get(SyncShadowRow, (EntityKind.BOOKING.value, booking_id)) is None:
                mirror.mark_refused(session, booking_id)
        _retire_refused_floor_rows(session, refused.floor)
        # After the rebuild: an erasure in this page has been applied already.
        forget_in_refusals(session, refused.outcomes, received_at)
        device.pull_cursor = max(device.pull_cursor, page.cursor)
        if page.lineage is not None:
            device.server_lineage = str(page.lineage)
        if page.audit_head is not None:
            device.server_audit_seq = page.audit_head.seq
            device.server_audit_hash = page.audit_head.hash
        uow.commit()
    return True


def _nothing_new(store: Store, after: int, page: ChangesPage) -> bool:
    """A page that would change nothing on the desk is not written (most polls are these)."""
    if page.changes or page.outcomes or page.cursor != after:
        return False
    # (The audit head only moves when this desk's intents are judged, which brings outcomes.)
    with store.read() as reader:
        session = reader.session
        lineage = session.scalars(select(DeviceRow.server_lineage)).one()
        if page.lineage is not None and lineage != str(page.lineage):
            return False
        versions = dict(session.execute(select(SyncConflictRow.id, SyncConflictRow.version)).all())
        if any(versions.get(str(c.id)) != c.version for c in page.conflicts):
            return False
        holds = {
            r.id: {k: v for k, v in r.data.items() if k != LOCAL_EXPIRY}
            for r in session.scalars(select(SyncHoldRow))
        }
        return holds == {str(h.id): h.model_dump(mode="json") for h in page.holds}


def _venue(session: Session) -> Venue:
    row = session.scalars(select(VenueRow)).one()
    return venue_from_dict({"id": row.id, "name": row.name, **row.config})


@dataclass(slots=True)
class _Refused:
    """This desk's changes a page's outcomes refused."""

    creates: list[str] = field(default_factory=list)
    floor: list[Key] = field(default_factory=list)
    outcomes: list[SyncOutcomeRow] = field(default_factory=list)


def _record_outcomes(
    session: Session, page: ChangesPage, received_at: datetime, touched: set[Key]
) -> _Refused:
    refused = _Refused()
    seqs = [o.device_seq for o in page.outcomes]
    intents = rows_by_key(session, OutboxRow, OutboxRow.device_seq, seqs)
    recorded = rows_by_key(session, SyncOutcomeRow, SyncOutcomeRow.device_seq, seqs)
    for outcome in page.outcomes:
        # Taken out as it is used: its intent leaves the outbox below.
        intent = intents.pop(outcome.device_seq, None)
        if intent is None or intent.mutation_id != str(outcome.mutation_id):
            continue
        rejected = outcome.outcome is OutcomeKind.REJECTED
        if recorded[outcome.device_seq] is None:
            row = SyncOutcomeRow(
                device_seq=outcome.device_seq,
                mutation_id=str(outcome.mutation_id),
                name=intent.name,
                entity_id=intent.entity_id,
                outcome=outcome.outcome.value,
                reason=outcome.reason,
                conflict_id=str(outcome.conflict_id) if outcome.conflict_id else None,
                version=outcome.version,
                received_at=received_at,
                acknowledged=not rejected,
                # Kept so staff can retry or amend the change (app/services/refusals.py).
                body=intent.body if rejected else None,
            )
            session.add(row)
            if rejected:
                refused.outcomes.append(row)
        mutation = parse(intent.body)
        touched.update(overlay.keys_of(mutation))
        if rejected and intent.name == IntentName.CREATE_BOOKING.value:
            refused.creates.append(intent.entity_id)
        floor_kind = overlay.ROW_INTENTS.get(type(mutation))
        if rejected and floor_kind is not None:
            refused.floor.append((floor_kind, intent.entity_id))
        session.delete(intent)
    session.flush()
    return refused


def _retire_refused_floor_rows(session: Session, refused: list[Key]) -> None:
    """A floor row the server never accepted leaves this desk's plan (it is not deleted).

    One the server knows was rebuilt from its shadow already; one still being
    changed by a pending intent waits for that intent's own outcome.
    """
    if not refused:
        return
    intents = session.scalars(select(OutboxRow.body))
    pending = {key for body in intents for key in overlay.keys_of(parse(body))}
    for kind, entity_id in refused:
        known = session.get(SyncShadowRow, (kind.value, entity_id)) is not None
        if not known and (kind, entity_id) not in pending:
            mirror.mark_refused_floor_row(session, kind, entity_id)


def _shadows(session: Session, keys: set[Key]) -> dict[Key, SyncShadowRow | None]:
    """The shadows of ``keys`` (None where there is none yet), in one query per kind."""
    found: dict[Key, SyncShadowRow | None] = {}
    for kind in {k for k, _ in keys}:
        ids = [i for k, i in keys if k is kind]
        rows = rows_by_key(
            session, SyncShadowRow, SyncShadowRow.id, ids, SyncShadowRow.entity == kind.value
        )
        found.update(((kind, id_), row) for id_, row in rows.items())
    return found


def _shadow(
    session: Session,
    shadows: dict[Key, SyncShadowRow | None],
    kind: EntityKind,
    id_: str,
    version: int,
    data: Any,
) -> None:
    row = shadows[kind, id_]
    if row is None:
        row = SyncShadowRow(entity=kind.value, id=id_, version=version, data=data)
        shadows[kind, id_] = row
        session.add(row)
    elif version >= row.version:
        row.version, row.data = version, data


def _conflicts(session: Session, records: list[ConflictRecord]) -> None:
    for c in records:
        row = session.get(SyncConflictRow, str(c.id))
        if row is not None and row.version > c.version:
            continue
        if row is None:
            row = SyncConflictRow(id=str(c.id))
            session.add(row)
        row.kind = c.kind.value
        row.state = c.state.value
        row.booking_id = str(c.booking_id)
        row.other_booking_id = str(c.other_booking_id) if c.other_booking_id else None
        row.detail = c.model_dump(mode="json")["detail"]
        row.device_id = str(c.device_id)
        row.staff_name = c.staff_name
        row.created_at = mirror.instant(c.created_at)  # type: ignore[assignment]
        row.resolved_at = mirror.instant(c.resolved_at)
        row.resolution = c.resolution.value if c.resolution else None
        row.allowed = [r.value for r in c.allowed]
        row.version = c.version
    session.flush()


def _holds(
    session: Session, page: ChangesPage, received_at: datetime, server_now: datetime | None
) -> None:
    session.execute(delete(SyncHoldRow))
    for hold in page.holds:
        data = hold.model_dump(mode="json")
        if server_now is not None:
            expires = received_at + (hold.expires_at - server_now)
        else:
            # No server time in the answer: count on the server's usual hold lifetime.
            expires = received_at + timedelta(seconds=DEFAULT_LIFETIME)
        data[LOCAL_EXPIRY] = expires.isoformat()
        session.add(SyncHoldRow(id=str(hold.id), data=data))


def _someone_can_manage(session: Session) -> bool:
    session.flush()
    rows = session.scalars(select(StaffRow))
    return any(can_manage_here(staff_member(r), r.pin_hash is not None) for r in rows)


def _warn_nobody_to_manage(session: Session, at: datetime) -> None:
    """The pull that took this desk's last manager who can sign in here says so, and how
    to put it right (docs/operations.md, "Going live")."""
    members = [staff_member(r) for r in session.scalars(select(StaffRow))]
    session.add(
        SyncNoticeRow(
            created_at=at,
            kind=mirror.NO_MANAGER,
            message=nobody_to_manage(members),
            detail={"managers": [m.username for m in members if m.active and m.role in MANAGING]},
        )
    )


def _rebuild(
    session: Session, touched: set[Key], venue_id: str, venue: Venue, at: datetime
) -> None:
    if not touched:
        return
    replay = Replay(session, venue_id)
    touched = replay.keys(touched)
    for kind in ORDER:
        ids = sorted(i for k, i in touched if k is kind)
        if not ids:
            continue
        # Read kind by kind: a desk's first pull re-keys its staff, which expires every row
        # the session holds, and each expired row would be read again on its own.
        replay.shadows.update(_shadows(session, {(kind, i) for i in ids}))
        known = mirror.prefetch(session, kind, ids)
        for id_ in ids:
            row = replay.row((kind, id_))
            if row is not None:
                mirror.write(session, kind, row, venue, at, known)
        # Flushed kind by kind, so a booking's customer and tables exist before it.
        session.flush()
