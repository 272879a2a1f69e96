"""`backroom audit verify` finds an edited, deleted, inserted or reordered event."""

import sqlite3
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from app.cli import main
from app.domain.audit import seal
from app.services.booking_create import NewBooking
from app.services.booking_status import BookingLifecycle


@pytest.fixture
def journaled(desk, reception, db_path):
    """Five audit events on the desk's file."""
    venue = desk.queries.venue().venue
    for i in range(3):
        start = venue.wall_time_on(datetime(2026, 11, 25).date(), datetime(1, 1, 1, 18 + i).time())
        b = desk.create.create_booking(
            reception,
            NewBooking(name=f"Guest {i}", phone=f"0113 496 010{i}", party_size=2, start=start),
        ).booking
        if i < 2:
            BookingLifecycle(desk.store, desk.clock).cancel(reception, b.id)
    desk.store.close()
    return db_path


def verify(db_path, capsys):
    code = main(["--db", str(db_path), "audit", "verify"])
    out = capsys.readouterr()
    return code, out.out + out.err


def sql(db_path, *statements):
    with sqlite3.connect(db_path) as conn:
        for s in statements:
            conn.execute(s)


def test_an_untouched_log_verifies(journaled, capsys):
    code, text = verify(journaled, capsys)

    assert code == 0 and "5 events verified" in text


def test_an_edited_event_is_named(journaled, capsys):
    sql(journaled, "UPDATE audit_event SET staff_name = 'Someone Else' WHERE seq = 2")

    code, text = verify(journaled, capsys)

    assert code == 1 and "event #2" in text and "changed" in text


def test_a_deleted_event_is_found(journaled, capsys):
    sql(journaled, "DELETE FROM audit_event WHERE seq = 3")

    code, text = verify(journaled, capsys)

    assert code == 1 and "event #4" in text and "missing" in text


def test_deleting_the_newest_event_is_found_too(journaled, capsys):
    sql(journaled, "DELETE FROM audit_event WHERE seq = 5")

    code, text = verify(journaled, capsys)

    assert code == 1 and "missing" in text


def test_an_inserted_event_is_found_even_with_a_correct_hash(journaled, capsys):
    with sqlite3.connect(journaled) as conn:
        device_id, prev = conn.execute(
            "SELECT device_id, hash FROM audit_event WHERE seq = 2"
        ).fetchone()
        for seq in (5, 4, 3):
            conn.execute(f"UPDATE audit_event SET seq = {seq + 1} WHERE seq = {seq}")
        forged = asdict(
            seal(
                id="forged",
                device_id=device_id,
                seq=3,
                at=datetime(2026, 11, 25, tzinfo=UTC),
                staff_id="x",
                staff_name="Mallory",
                action="cancel",
                entity="booking",
                entity_id="x",
                before=None,
                after=None,
                prev_hash=prev,
            )
        )
        forged["at"] = "2026-11-25T00:00:00.000000Z"
        forged["before"] = forged["after"] = None
        conn.execute(
            "INSERT INTO audit_event VALUES (:id, :device_id, :seq, :at, :staff_id, "
            ":staff_name, :action, :entity, :entity_id, :before, :after, :prev_hash, "
            ":hash)",
            forged,
        )

    code, text = verify(journaled, capsys)

    assert code == 1 and "event #4" in text


def test_reordered_events_are_found(journaled, capsys):
    sql(
        journaled,
        "UPDATE audit_event SET seq = 100 WHERE seq = 2",
        "UPDATE audit_event SET seq = 2 WHERE seq = 3",
        "UPDATE audit_event SET seq = 3 WHERE seq = 100",
    )

    code, text = verify(journaled, capsys)

    assert code == 1 and "event #2" in text
