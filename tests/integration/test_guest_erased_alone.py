"""`backroom guest erase` on a desk that works alone: its file is all the venue holds, so
the admin forgets the guest there with their PIN, unsent changes included. The oracle
is the whole file read as text."""

from __future__ import annotations

import json
import sqlite3

from app.models.audit_check import check_audit
from tests.integration.test_guest_data_cli import ADMIN, book, guest

PHONE = "07911 123456"
TRACES = ("Ada Lovelace", "7911123456", "ada@example.org", "Nut allergy", "Her 30th")


def the_file_as_text(db_path) -> str:
    with sqlite3.connect(db_path) as conn:
        return "\n".join(conn.iterdump())


def adas_cancelled_booking(desk, manager):
    ada = book(desk, manager, "Ada Lovelace", PHONE, email="ada@example.org",
               special_requests="Nut allergy", occasion="Her 30th")  # fmt: skip
    desk.lifecycle.cancel(manager, ada.id, "guest cancelled")
    return ada


def test_an_admin_forgets_a_guest_in_every_row_of_the_file_and_her_unsent_changes(
    desk, manager, db_path, capsys, monkeypatch
):
    ada = adas_cancelled_booking(desk, manager)
    book(desk, manager, "Grace Hopper", "07911 123999", special_requests="High chair")
    assert all(trace in the_file_as_text(db_path) for trace in TRACES)

    code, out, err = guest(db_path, capsys, monkeypatch, "erase", "--phone", PHONE, *ADMIN, "--yes")

    assert code == 0, err
    assert out.startswith("Erased 1 guest record (") and "unsent changes included" in out
    text = the_file_as_text(db_path)
    assert [t for t in TRACES if t in text] == []
    assert "Grace Hopper" in text and "High chair" in text
    with desk.store.read() as reader:
        kept = reader.bookings.get(ada.id)
        erased = reader.customers.get(ada.customer_id)
        assert check_audit(reader.session).problems == []
    assert (kept.status.value, kept.party_size, kept.start) == ("cancelled", 2, ada.start)
    assert (erased.name, erased.phone, erased.email) == ("Erased guest", "", None)


def test_the_erasure_is_journalled_listing_every_event_it_scrubbed(
    desk, manager, db_path, capsys, monkeypatch
):
    ada = adas_cancelled_booking(desk, manager)

    guest(db_path, capsys, monkeypatch, "erase", "--phone", PHONE, *ADMIN, "--yes")

    with sqlite3.connect(db_path) as conn:
        bodies = [
            json.loads(b) for (b,) in conn.execute("SELECT body FROM outbox ORDER BY device_seq")
        ]
        marked = {
            i for (i,) in conn.execute("SELECT id FROM audit_event WHERE redacted_at IS NOT NULL")
        }
    *before, last = bodies
    assert last["name"] == "erase_guest"
    assert last["args"]["guest_ids"] == [ada.customer_id]
    assert last["args"]["booking_ids"] == [ada.id]
    sent_scrubbed = {e["id"] for b in before for e in b["audit"] if e.get("redacted")}
    assert marked and set(last["args"]["redacted"]) == marked == sent_scrubbed


def test_a_guest_with_a_booking_to_come_or_a_role_below_admin_changes_nothing(
    desk, manager, db_path, capsys, monkeypatch
):
    book(desk, manager, "Ada Lovelace", PHONE, special_requests="Nut allergy")
    before = the_file_as_text(db_path)

    to_come = guest(db_path, capsys, monkeypatch, "erase", "--phone", PHONE, *ADMIN, "--yes")
    by_manager = guest(db_path, capsys, monkeypatch, "erase", "--phone", PHONE, "--user", "alex",
                       "--password-stdin", "--yes", stdin="2222\n")  # fmt: skip

    assert to_come[0] == 2 and "Ada Lovelace still has booking" in to_come[2]
    assert "Complete, cancel or mark each as a no-show first" in to_come[2]
    assert by_manager[0] == 2 and "answer a guest's request for their data" in by_manager[2]
    assert the_file_as_text(db_path) == before


def test_a_guest_erased_already_is_said_so(desk, manager, db_path, capsys, monkeypatch):
    ada = adas_cancelled_booking(desk, manager)
    guest(db_path, capsys, monkeypatch, "erase", "--phone", PHONE, *ADMIN, "--yes")

    again = guest(db_path, capsys, monkeypatch, "erase", "--reference", ada.reference, *ADMIN,
                  "--yes")  # fmt: skip

    assert again[0] == 2 and "was erased already" in again[2]
