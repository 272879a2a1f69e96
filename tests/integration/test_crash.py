"""Kill -9 in the middle of writes, the way SQLite tests itself.

A forked child books parties through the real use case and reports each
reference after its commit returns. The parent kills it with SIGKILL at a random
moment, many times over (``BACKROOM_CRASH_RUNS``, 200 by default). Afterwards
every reported booking must be there with its audit event and its intent, no
booking may be half-written, and SQLite's integrity check must pass.
"""

import json
import os
import random
import signal
import sqlite3
import time
from datetime import date, timedelta
from datetime import time as wall

import pytest

from app.domain.errors import DomainError
from app.models.audit_check import check_audit
from app.models.uow import Store
from app.services.booking_create import NewBooking
from app.services.common import system_clock
from app.services.demo import ensure_venue
from app.services.desk import Desk

RUNS = int(os.environ.get("BACKROOM_CRASH_RUNS", "200"))
FIRST_NIGHT = date(2026, 12, 1)


def _book_until_killed(db_path, seed: int, report_fd: int) -> None:
    desk = Desk(Store(db_path, migrate=False), system_clock)
    staff = desk.auth.staff()[0]
    venue = desk.queries.venue().venue
    rng = random.Random(seed)
    n = 0
    while True:
        n += 1
        night = FIRST_NIGHT + timedelta(days=rng.randrange(60))
        start = venue.wall_time_on(night, wall(rng.randrange(17, 22), rng.choice([0, 30])))
        cmd = NewBooking(
            name=f"Guest {seed}-{n}",
            phone=f"0113 496 {rng.randrange(10000):04d}",
            party_size=rng.randrange(1, 9),
            start=start,
        )
        try:
            result = desk.create.create_booking(staff, cmd)
        except DomainError:
            continue
        os.write(report_fd, f"{result.booking.reference}\n".encode())


def _run_once(db_path, seed: int, rng: random.Random) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns: it is killed
        os.close(read_fd)
        try:
            _book_until_killed(db_path, seed, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    time.sleep(rng.uniform(0.0, 0.12))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    return b"".join(chunks).decode().split()


@pytest.mark.slow
def test_bookings_reported_saved_survive_kill_9_whole(tmp_path, clock, capsys):
    db_path = tmp_path / "crash.sqlite3"
    store = Store(db_path)
    ensure_venue(store, clock)
    store.close()  # no connection may cross the fork
    rng = random.Random(20261125)

    reported: list[str] = []
    for seed in range(RUNS):
        reported += _run_once(db_path, seed, rng)

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        bookings = dict(conn.execute("SELECT reference, id FROM booking"))
        audit = {}
        for entity_id, after in conn.execute(
            "SELECT entity_id, after FROM audit_event WHERE action = 'create_booking'"
        ):
            audit.setdefault(entity_id, []).append(json.loads(after))
        outbox = {}
        for entity_id, seq in conn.execute("SELECT entity_id, device_seq FROM outbox"):
            outbox.setdefault(entity_id, []).append(seq)
        seats = {}
        for booking_id, table_id in conn.execute("SELECT booking_id, table_id FROM booking_table"):
            seats.setdefault(booking_id, []).append(table_id)
        seqs = sorted(s for found in outbox.values() for s in found)
        last_seq = conn.execute("SELECT last_seq FROM device").fetchone()[0]

    missing = [ref for ref in reported if ref not in bookings]
    assert missing == [], f"{len(missing)} reported bookings lost"
    for ref, booking_id in bookings.items():
        assert len(audit.get(booking_id, [])) == 1, f"{ref} has no single audit event"
        assert len(outbox.get(booking_id, [])) == 1, f"{ref} has no single intent"
        assert sorted(seats.get(booking_id, [])) == sorted(audit[booking_id][0]["table_ids"])
    assert len(audit) == len(outbox) == len(bookings)
    assert seqs == list(range(1, last_seq + 1)), "device sequence numbers have a gap"
    with Store(db_path, migrate=False).read() as reader:
        assert check_audit(reader.session).intact
    with capsys.disabled():
        print(
            f"\ncrash test: {RUNS} kills, {len(reported)} bookings reported, "
            f"{len(bookings)} found whole, 0 lost"
        )
