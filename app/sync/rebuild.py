"""Rebuilding a desk from the server when its file has fallen behind it.

A desk restored from an older backup (or a file edited by hand) numbers its
next changes with intent numbers the server already holds from before the
restore, and continues an audit chain the server has moved past: the server
refuses them, and would refuse them forever. Rebuilding puts it right without
losing anything:

1. a full copy of the file is written beside it, and every change not yet sent
   is written out as JSON (what it was, for whom, in the intent's own words);
2. a manager signs in and the desk is registered again under a new id, so its
   intent numbers and audit chain start afresh on the server (the old id's
   history stays there, and an admin may revoke it);
3. the desk's own copy of the night (bookings, guests, the sync client's
   records, waitlist offers) is dropped, and the next sync takes the server's.

Staff, the venue and its floor stay; the floor is brought up to date by the
same sync. Nothing happens to the file until the new registration succeeded.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import delete, select

from app.domain.audit import GENESIS
from app.models.backup import backup
from app.models.sync_tables import SyncOutcomeRow
from app.models.tables import DeviceRow, OutboxRow
from app.models.uow import Store
from app.sync.register import Registration, register_desk
from app.sync.retake import SERVERS_NIGHT, nothing

# Dropped in this order (children first); the next pull brings the server's rows back.
_THIS_DESKS_NIGHT = (OutboxRow, SyncOutcomeRow, *SERVERS_NIGHT)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    copy: Path
    unsent_file: Path
    unsent: int
    registration: Registration


def rebuild_from_server(
    store: Store,
    db_path: Path,
    http: httpx.Client,
    username: str,
    password: str,
    now: datetime,
    *,
    before_drop: Callable[[], object] = nothing,
) -> Rebuilt:
    """Keep everything in files, register anew, and leave the desk to take the server's night.

    Raises a ``SyncProblem`` (sign-in, network) or ``DomainError`` (the copy) in staff
    words, with the desk's file unchanged. ``before_drop`` runs once the desk is
    registered anew, before its night is dropped (the window stops its desk's sync there).
    """
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    copy = db_path.with_name(f"{db_path.stem}.before-rebuild-{stamp}{db_path.suffix}")
    backup(db_path, copy)
    unsent_file = db_path.with_name(f"{db_path.stem}.unsent-{stamp}.json")
    unsent = _write_unsent(store, unsent_file, now)
    new_id = str(uuid.uuid4())
    try:
        registration = register_desk(store, http, username, password, as_device=new_id)
    except BaseException:
        # Nothing changed, so nothing is kept: a retry (a mistyped password) starts clean.
        copy.unlink(missing_ok=True)
        unsent_file.unlink(missing_ok=True)
        raise
    before_drop()
    with store.unit_of_work() as uow:
        session = uow.session
        old = session.scalars(select(DeviceRow)).one()
        fresh = DeviceRow(
            id=new_id,
            name=old.name,
            venue_id=old.venue_id,
            last_audit_hash=GENESIS,
            server_url=old.server_url,
        )
        for table in _THIS_DESKS_NIGHT:
            session.execute(delete(table))
        session.delete(old)
        session.flush()
        session.add(fresh)
        uow.commit()
    return Rebuilt(copy, unsent_file, unsent, registration)


def _write_unsent(store: Store, target: Path, now: datetime) -> int:
    with store.read() as reader:
        device_id = reader.session.scalars(select(DeviceRow.id)).one()
        rows = reader.session.execute(
            select(
                OutboxRow.device_seq, OutboxRow.name, OutboxRow.entity_id, OutboxRow.body
            ).order_by(OutboxRow.device_seq)
        ).all()
    document = {
        "what": "Changes this desk had not sent when it was rebuilt from the server",
        "device_id": device_id,
        "written_at": now.isoformat(),
        "changes": [
            {"seq": seq, "name": name, "entity_id": entity_id, "intent": json.loads(body)}
            for seq, name, entity_id, body in rows
        ],
    }
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    partial.replace(target)
    return len(rows)
