"""A desk as its own process, driven by JSON lines on stdin (one answer line each).

It runs what the real desk runs: its SQLite file, the use cases, the sync
engine on the background runner with live events. Only the keyring is an
in-memory one (a test machine has none), installed before anything uses it.

    python -m tests.e2e.desk_process --db PATH --server URL --name NAME --now INSTANT

The desk's clock starts at ``--now`` and runs on with real elapsed time, so the
desk lives on the test's night whatever the real date.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from app.domain.permissions import Role
from app.models.uow import Store
from app.protocol import Resolution
from app.services.booking_create import NewBooking
from app.services.conflicts import ConflictInbox
from app.services.demo import ensure_venue
from app.services.desk import Desk
from app.sync.client import ServerApi
from app.sync.credentials import DeviceCredentials
from app.sync.engine import SyncEngine
from app.sync.mirror import read_bookings
from app.sync.register import register_desk
from app.sync.runner import SyncRunner
from tests.sync import memory_keyring


class RunningClock:
    """Starts at a fixed instant and runs on with real elapsed time."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.began = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)


class DeskProcess:
    def __init__(self, db: Path, server: str, name: str, now: datetime) -> None:
        self.clock = RunningClock(now)
        self.store = Store(db)
        ensure_venue(self.store, self.clock, device_name=name)
        self.desk = Desk(self.store, self.clock)
        self.http = httpx.Client(base_url=server)
        self.runner: SyncRunner | None = None

    def staff(self, role: Role = Role.RECEPTION):
        return next(s for s in self.desk.auth.staff() if s.role is role)

    def register(self, username: str, password: str) -> dict[str, Any]:
        reg = register_desk(self.store, self.http, username, password)
        api = ServerApi(self.http, DeviceCredentials(reg.device_id).token)
        engine = SyncEngine(self.store, api, wall_clock=self.clock)
        self.runner = SyncRunner(engine, poll_seconds=1.0, live_poll_seconds=30.0, max_backoff=2.0)
        self.runner.start()
        return {"device_id": reg.device_id}

    def book(self, table: str, start: str, name: str, phone: str) -> dict[str, Any]:
        result = self.desk.create.create_booking(
            self.staff(),
            NewBooking(
                name=name,
                phone=phone,
                party_size=2,
                start=datetime.fromisoformat(start),
                duration_minutes=120,
                table_ids=(table,),
            ),
        )
        self._nudge()
        return {"id": result.booking.id, "status": result.booking.status.value}

    def state(self) -> dict[str, Any]:
        assert self.runner is not None
        status = self.runner.monitor.status
        with self.store.read() as reader:
            bookings = {
                k: {"status": v["status"], "version": v["version"]}
                for k, v in read_bookings(reader.session).items()
            }
        conflicts = [
            {"id": c.id, "ours": c.ours.guest, "theirs": c.theirs.guest, "summary": c.summary}
            for c in ConflictInbox(self.store, self.clock).open()
        ]
        live = self.runner.events is not None and self.runner.events.connected
        return {
            "state": status.state.value,
            "pending": status.pending,
            "open_conflicts": status.open_conflicts,
            "detail": status.detail,
            "bookings": bookings,
            "conflicts": conflicts,
            "live": live,
        }

    def resolve(self, conflict_id: str, resolution: str) -> dict[str, Any]:
        words = ConflictInbox(self.store, self.clock).resolve(
            self.staff(Role.MANAGER), conflict_id, Resolution(resolution)
        )
        self._nudge()
        return {"message": words}

    def _nudge(self) -> None:
        if self.runner is not None:
            self.runner.engine.refresh()
            self.runner.nudge()

    def quit(self) -> dict[str, Any]:
        if self.runner is not None:
            self.runner.stop()
        self.store.close()
        return {"bye": True}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--name", default="Reception")
    parser.add_argument("--now", type=datetime.fromisoformat, required=True)
    args = parser.parse_args()
    memory_keyring.install()
    desk = DeskProcess(args.db, args.server, args.name, args.now)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        command = request.pop("cmd")
        try:
            answer = getattr(desk, command)(**request)
        except Exception as error:  # the test shows what the desk said
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)
        if command == "quit":
            return


if __name__ == "__main__":
    main()
