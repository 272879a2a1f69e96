"""Applying a pulled page reads the desk's file a few times, however many rows it brings.

Looked up one at a time, each row cost its own query (and a flush before it): a desk
back online with 500 bookings queued took 3.5 s to apply its pull (docs/benchmarks.md,
"Sync"), so staff waited well past the 5 s the whole reconnection may take.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import event

from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from tests.sync.world import EVENING, TABLE, SyncDesk

SMALL = (1, 2, 3, 4, 5, 6, 7, 8, 13, 14)


def slots(count: int) -> Iterator[tuple[int, int, int]]:
    """(n, table, days after the Wednesday): never two on one table on one evening."""
    for n in range(count):
        yield n, SMALL[n % len(SMALL)], n // len(SMALL)


def book_offline(desk: SyncDesk, count: int, first: int = 0) -> None:
    """``count`` bookings for new guests, from ``first`` days after the Wednesday."""
    for n, table, day in slots(count):
        desk.desk.create.create_booking(
            desk.staff(Role.RECEPTION),
            NewBooking(
                name=f"Guest {first + n}",
                phone=f"0113 496 {first + n:04d}",
                party_size=2,
                start=EVENING + timedelta(days=first + day),
                duration_minutes=120,
                table_ids=(str(TABLE[table]),),
            ),
        )


def reads_while_pulling(desk: SyncDesk) -> int:
    """The SELECTs the desk sends its own file while it pulls and applies."""
    reads = 0

    def counted(_conn, _cursor, statement: str, *_args) -> None:
        nonlocal reads
        reads += statement.lstrip()[:6].upper() == "SELECT"

    event.listen(desk.store.writer, "before_cursor_execute", counted)
    try:
        desk.engine.pull()
    finally:
        event.remove(desk.store.writer, "before_cursor_execute", counted)
    return reads


def test_a_desk_applying_the_answers_to_its_own_bookings_reads_no_more_for_more_of_them(desks):
    few, many = desks("Reception"), desks("Bar")
    for desk in (few, many):
        desk.engine.sync_once()  # its first pull: the server's staff replace its own
    book_offline(few, 4)
    few.engine.push()
    reads_few = reads_while_pulling(few)
    book_offline(many, 40, first=100)
    many.engine.push()

    reads_many = reads_while_pulling(many)

    assert few.pending() == many.pending() == 0
    assert len(few.bookings()) == 4
    assert len(many.bookings()) == 44
    assert reads_many <= reads_few + 4


def test_a_desk_applying_other_desks_new_bookings_reads_no_more_for_more_of_them(desks):
    reception, few, many = desks("Reception"), desks("Office"), desks("Bar")
    reception.engine.sync_once()
    book_offline(reception, 4)
    reception.engine.sync_once()
    reads_few = reads_while_pulling(few)
    book_offline(reception, 40, first=100)
    reception.engine.sync_once()

    reads_many = reads_while_pulling(many)

    assert len(few.bookings()) == 4
    assert len(many.bookings()) == 44
    assert reads_many <= reads_few + 4
