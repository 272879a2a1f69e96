"""Taking the server's night again, keeping this desk's own changes, after its operator
restored the server's database from a backup.

A restored server may have lost changes this desk pulled from it, and its new
changes may carry numbers this desk has passed, so the server refuses the desk's
pulls (server/sync/pull.py, ``restored``). This puts it right without a new
registration:

1. a full copy of the file is written beside it (it holds whatever the server lost);
2. the desk's copy of the night the server sends (bookings, guests, conflicts, holds,
   waitlist offers, and the server's rows it replays its changes on) is dropped, and
   its cursor goes back to the start;
3. the next sync takes the server's night whole, then sends this desk's unsent
   changes, which stay in the outbox as they were, with its record of those sent.

A desk whose *sent* changes the server lost (its push says so) needs
``rebuild_from_server`` instead: the server expects intent numbers it gave out before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from app.models.backup import backup
from app.models.sync_tables import SyncConflictRow, SyncHoldRow, SyncShadowRow
from app.models.tables import BookingRow, BookingTableRow, CustomerRow, DeviceRow
from app.models.uow import Store
from app.models.waitlist_tables import FreedTableRow, OfferRow, SkipRow
from app.sync import outbox

# What the server sends again, children first; the outbox and sync_outcome stay.
SERVERS_NIGHT = (
    SyncConflictRow,
    SyncHoldRow,
    SyncShadowRow,
    OfferRow,
    SkipRow,
    FreedTableRow,
    BookingTableRow,
    BookingRow,
    CustomerRow,
)


@dataclass(frozen=True, slots=True)
class Retaken:
    copy: Path
    unsent: int


def nothing() -> None:
    return None


def take_servers_night(
    store: Store, db_path: Path, now: datetime, *, before_drop: Callable[[], object] = nothing
) -> Retaken:
    """Copy the file aside, then leave the desk to take the server's night on its next
    sync with its unsent changes kept. Raises ``DomainError`` (the copy) with the desk's
    file unchanged. ``before_drop`` runs once the copy is made, before anything changes
    (the window stops its desk's sync there)."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    copy = db_path.with_name(f"{db_path.stem}.before-retake-{stamp}{db_path.suffix}")
    backup(db_path, copy)
    before_drop()
    with store.unit_of_work() as uow:
        session = uow.session
        for table in SERVERS_NIGHT:
            session.execute(delete(table))
        device = session.scalars(select(DeviceRow)).one()
        device.pull_cursor = 0
        device.server_lineage = None
        unsent = outbox.count(session)
        uow.commit()
    return Retaken(copy, unsent)
