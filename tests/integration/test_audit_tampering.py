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
            "INSERT INTO audit_event (id, device_id, seq, at, staff_id, staff_name, action, "
            "entity, entity_id, before, after, prev_hash, hash) VALUES (:id, :device_id, "
            ":seq, :at, :staff_id, :staff_name, :action, :entity, :entity_id, :before, "
            ":after, :prev_hash, :hash)",
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


def test_an_event_whose_payload_is_no_longer_json_is_named_instead_of_a_traceback(
    journaled, capsys
):
    sql(journaled, "UPDATE audit_event SET after = '{\"status\": ' WHERE seq = 2")

    code, text = verify(journaled, capsys)

    assert code == 1 and "event #2" in text and "'after' is no longer valid JSON" in text
    assert "Traceback" not in text


def test_an_event_whose_time_no_longer_parses_is_named_instead_of_a_traceback(journaled, capsys):
    sql(journaled, "UPDATE audit_event SET at = 'last Tuesday' WHERE seq = 3")

    code, text = verify(journaled, capsys)

    assert code == 1 and "event #3" in text and "'last Tuesday' does not parse" in text


def test_a_queued_intent_whose_audit_event_is_gone_is_named(journaled, capsys):
    with sqlite3.connect(journaled) as conn:
        (event_id,) = conn.execute("SELECT id FROM audit_event WHERE seq = 5").fetchone()
    sql(journaled, "DELETE FROM audit_event WHERE seq = 5")

    code, text = verify(journaled, capsys)

    assert code == 1 and "missing" in text
    assert f"names audit event {event_id}, which is not in the file" in text


def test_a_booking_slipped_into_the_file_without_an_audit_event_is_named(journaled, capsys):
    sql(
        journaled,
        "CREATE TEMP TABLE copy AS SELECT * FROM booking LIMIT 1",
        "UPDATE copy SET id = 'slipped-in', reference = '0000000000Z'",
        "INSERT INTO booking SELECT * FROM copy",
    )

    code, text = verify(journaled, capsys)

    assert code == 1 and "booking 0000000000Z (slipped-in) has no audit event" in text


def test_a_file_sqlite_finds_damaged_fails_the_check_even_when_every_chain_is_intact(
    journaled, capsys
):
    with sqlite3.connect(journaled) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_booking_day_start'"
        ).fetchone()
    with open(journaled, "r+b") as f:
        f.seek((root - 1) * page_size + 8)
        f.write(b"\xff" * 64)

    code, text = verify(journaled, capsys)

    assert code != 0 and "damaged" in text and "Traceback" not in text
