"""Both sides of a sync test on one clock, and the rows both databases hold, column by column.

The witness is the databases themselves (``SELECT *`` on the server's tables and
the desk's SQLite tables), not the field lists the sync code exports.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row

from app.models.uow import Store
from tests.sync.relay import Relay
from tests.sync.world import SyncDesk, manager_token, register_with_token

# A Wednesday afternoon; tests book nights from here on.
FIRST_NIGHT = datetime(2027, 1, 6, 17, 0, tzinfo=UTC)
# Columns the desk cannot know before the server answers, and why.
SERVER_ASSIGNED = {"version"}  # the venue's version at the commit


class SharedClock:
    """One instant for the desks and the server, so instants they stamp can be compared."""

    def __init__(self, now: datetime) -> None:
        self.instant = now

    def __call__(self) -> datetime:
        return self.instant

    def now(self) -> datetime:
        return self.instant

    def advance(self, **kwargs: float) -> None:
        self.instant += timedelta(**kwargs)


@dataclass
class World:
    clock: SharedClock
    http: httpx.Client
    database_url: str
    template: Path
    relay: Relay  # the network between the desks and the server; ``relay.fault`` breaks it
    nights: Iterator[int] = field(default_factory=lambda: iter(range(10_000)))

    def desk(self, folder: Path, name: str, token: str) -> SyncDesk:
        """A new desk: a copy of the demo file under a new device id, registered."""
        path = folder / f"{name}.sqlite3"
        shutil.copyfile(self.template, path)
        store = Store(path)
        register_with_token(store, self.http, token, name)
        return SyncDesk.attach(path, store, self.http, self.clock)  # type: ignore[arg-type]


# --- what the databases hold -------------------------------------------------------


def _value(v: Any) -> Any:
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, datetime):
        return v.astimezone(UTC)
    return v


def server_rows(url: str, table: str) -> dict[str, dict[str, Any]]:
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        rows = conn.cursor(row_factory=dict_row).execute(f"SELECT * FROM {table}").fetchall()
    out = {}
    for row in rows:
        values = {k: _value(v) for k, v in row.items()}
        if "table_ids" in values:
            values["table_ids"] = sorted(str(t) for t in values["table_ids"])
        out[str(row["id"])] = values
    return out


def _desk_value(column: str, v: Any) -> Any:
    if isinstance(v, str) and column in {"start", "created_at", "updated_at", "waitlisted_at"}:
        return datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return v


def desk_bookings(path: Path) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        tables: dict[str, list[str]] = {}
        for booking_id, table_id in conn.execute("SELECT booking_id, table_id FROM booking_table"):
            tables.setdefault(booking_id, []).append(table_id)
        rows = {}
        for row in conn.execute("SELECT * FROM booking"):
            values = {k: _desk_value(k, row[k]) for k in row.keys()}  # noqa: SIM118
            values["table_ids"] = sorted(tables.get(row["id"], []))
            rows[row["id"]] = values
    return rows


def compared(desk_row: dict[str, Any], server_row: dict[str, Any], skip: set[str]) -> list[str]:
    """Every column of the server's row whose value the desk's row does not have."""
    differ = []
    for column, theirs in server_row.items():
        if column in skip:
            continue
        mine = desk_row.get(column, "<no such column on the desk>")
        if isinstance(theirs, bool):
            mine = bool(mine) if isinstance(mine, int) else mine
        if mine != theirs:
            differ.append(f"{column}: desk {mine!r}, server {theirs!r}")
    return differ


# --- the overlay's answer -----------------------------------------------------------


def replayed(desk: SyncDesk, booking_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The rows the overlay makes from the shadow and the pending intents, as JSON."""
    from app.protocol import EntityKind
    from app.sync.replaying import Replay

    with desk.store.read() as reader:
        replay = Replay(reader.session, reader.device.get().venue_id)
        rows = {b: replay.row((EntityKind.BOOKING, b)) for b in booking_ids}
    return {b: row for b, row in rows.items() if row is not None}


def as_json_rows(desk: SyncDesk, booking_ids: set[str]) -> dict[str, dict[str, Any]]:
    from app.models import convert
    from app.models.tables import BookingRow
    from app.protocol.codec import booking_row

    with desk.store.read() as reader:
        return {
            b: booking_row(convert.booking(reader.session.get(BookingRow, b))).model_dump(
                mode="json"
            )
            for b in booking_ids
        }


def outcomes(desk: SyncDesk) -> str:
    """The outcome of the desk's latest intent (for the run's statistics)."""
    with sqlite3.connect(desk.path) as conn:
        row = conn.execute(
            "SELECT name, outcome FROM sync_outcome ORDER BY device_seq DESC LIMIT 1"
        ).fetchone()
    return " ".join(row) if row else "nothing sent"


def conflict_kind(desk: SyncDesk, conflict_id: str) -> str:
    with sqlite3.connect(desk.path) as conn:
        return str(
            conn.execute("SELECT kind FROM sync_conflict WHERE id = ?", (conflict_id,)).fetchone()[
                0
            ]
        )


def open_desks(world: World, folder: Path) -> tuple[SyncDesk, SyncDesk]:
    """Reception and a manager's laptop, both registered, on the world's clock."""
    token = manager_token(world.http)
    return world.desk(folder, "Reception", token), world.desk(folder, "Manager laptop", token)
