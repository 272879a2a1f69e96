"""Kill -9 in the middle of writes, the way SQLite tests itself.

A forked child books parties through the real use case and reports each
reference after its commit returns. Once it has reported its first booking, the
parent kills it with SIGKILL at a random moment of the writes that follow, many
times over (``BACKROOM_CRASH_RUNS``, 200 by default). Afterwards every reported
booking must be there with its audit event and its intent, no booking may be
half-written, and SQLite's integrity check must pass.
"""

import gc
import json
import os
import random
import select
import signal
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.venue import Venue
from app.models.audit_check import check_audit
from app.models.uow import Store
from app.services.booking_create import NewBooking
from app.services.demo import ensure_venue
from app.services.desk import Desk

RUNS = int(os.environ.get("BACKROOM_CRASH_RUNS", "200"))
# Monday 30 November 2026, 20:00 in Leeds: The Backroom is open (17:00–01:00).
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
FIRST_NIGHT = date(2026, 12, 1)
# Longer than one booking takes, so a kill lands anywhere in a write.
KILL_WITHIN = 0.08
FIRST_BOOKING_TIMEOUT = 30


def fixed_clock() -> datetime:
    return NOW


def _book_until_killed(db_path, who: Staff, venue: Venue, seed: int, report_fd: int) -> None:
    desk = Desk(Store(db_path, migrate=False), fixed_clock)
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
            result = desk.create.create_booking(who, cmd)
        except DomainError:
            continue
        os.write(report_fd, f"{result.booking.reference}\n".encode())


def _run_once(db_path, who: Staff, venue: Venue, seed: int, rng: random.Random) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns: it is killed
        os.close(read_fd)
        try:
            _book_until_killed(db_path, who, venue, seed, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    chunks = [_first_report(read_fd, pid)]
    time.sleep(rng.uniform(0.0, KILL_WITHIN))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    return b"".join(chunks).decode().split()


def _first_report(read_fd: int, pid: int) -> bytes:
    """Wait until the child has reported a booking, so that every kill cycle books."""
    deadline = time.monotonic() + FIRST_BOOKING_TIMEOUT
    read = b""
    while b"\n" not in read:
        ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(read_fd, 65536) if ready else b""
        if not chunk:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child booked nothing in {FIRST_BOOKING_TIMEOUT} s")
        read += chunk
    return read


@pytest.mark.slow
def test_bookings_reported_saved_survive_kill_9_whole(tmp_path, record_property):
    db_path = tmp_path / "crash.sqlite3"
    store = Store(db_path)
    ensure_venue(store, fixed_clock)
    desk = Desk(store, fixed_clock)
    who, venue = desk.auth.staff()[0], desk.queries.venue().venue
    store.close()  # no connection may cross the fork
    rng = random.Random(20261125)

    reported: list[str] = []
    # Frozen, the parent's objects are not copied into each child by its collector.
    gc.freeze()
    try:
        for seed in range(RUNS):
            reported += _run_once(db_path, who, venue, seed, rng)
    finally:
        gc.unfreeze()

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

    assert len(reported) >= RUNS, f"{len(reported)} bookings in {RUNS} kill cycles"
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
    # In the run's summary under "figures" (tests/conftest.py), from any xdist worker.
    record_property(
        "figure",
        f"crash test: {RUNS} kills, {len(reported)} bookings reported, "
        f"{len(bookings)} found whole, 0 lost",
    )
