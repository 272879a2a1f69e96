"""`backroom guest data` on a desk that works alone: its own file is everything the venue
holds, so an admin answers a guest's request from it with their PIN (forgetting them:
tests/integration/test_guest_erased_alone.py)."""

from __future__ import annotations

import io
import json
from datetime import datetime

from app.cli import main
from app.models.base import Base
from app.models.guest_data import NOT_ABOUT_GUESTS, SECTIONS
from app.services.booking_create import NewBooking
from tests.conftest import START

ADMIN = ("--user", "jo", "--password-stdin")


def guest(db_path, capsys, monkeypatch, *args, stdin="3333\n"):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", str(db_path), "guest", *args], clock=lambda: START)
    out = capsys.readouterr()
    return code, out.out, out.err


def book(desk, manager, name, phone, **extra):
    return desk.create.create_booking(
        manager,
        NewBooking(name=name, phone=phone, party_size=2, start=desk.clock().replace(hour=20),
                   **extra),
    ).booking  # fmt: skip


def test_every_table_of_the_desks_file_is_either_searched_for_a_guest_or_says_why_not():
    searched, not_searched = set(SECTIONS), set(NOT_ABOUT_GUESTS)

    assert searched.isdisjoint(not_searched)
    assert searched | not_searched == set(Base.metadata.tables)


def test_an_admin_gets_everything_the_desk_holds_about_a_guest_with_their_pin(
    desk, manager, db_path, capsys, monkeypatch
):
    ada = book(desk, manager, "Ada Lovelace", "07911 123456", special_requests="Nut allergy")
    book(desk, manager, "Grace Hopper", "07911 123999")

    code, out, err = guest(db_path, capsys, monkeypatch, "data", "--phone", "07911123456", *ADMIN)

    assert code == 0, err
    data = json.loads(out)
    assert [c["name"] for c in data["tables"]["customer"]] == ["Ada Lovelace"]
    assert [b["special_requests"] for b in data["tables"]["booking"]] == ["Nut allergy"]
    assert {e["entity_id"] for e in data["tables"]["audit_event"]} >= {ada.id}
    assert "Grace" not in out
    assert err.startswith("Wrote ") and "found by phone +447911123456" in err
    assert datetime.fromisoformat(data["made_at"]) == START
    assert "What The Backroom holds about you" in data["summary"]
    assert "    Special requests: Nut allergy" in data["summary"]


def test_a_file_that_cannot_be_written_is_said_so_without_a_traceback(
    desk, manager, db_path, capsys, monkeypatch, tmp_path
):
    book(desk, manager, "Ada Lovelace", "07911 123456")
    nowhere = str(tmp_path / "no" / "ada.json")

    code, out, err = guest(db_path, capsys, monkeypatch, "data", "--phone", "07911 123456",
                           *ADMIN, "--out", nowhere)  # fmt: skip

    assert code == 2 and out == ""
    assert err == f"error: {nowhere} could not be written (No such file or directory).\n"


def test_a_wrong_pin_or_a_role_below_admin_gets_nothing(
    desk, manager, db_path, capsys, monkeypatch
):
    book(desk, manager, "Ada Lovelace", "07911 123456")
    phone = ("data", "--phone", "07911 123456", "--password-stdin")

    wrong = guest(db_path, capsys, monkeypatch, *phone, "--user", "jo", stdin="9999\n")
    manager_asks = guest(db_path, capsys, monkeypatch, *phone, "--user", "alex", stdin="2222\n")

    assert wrong[0] == 2 and wrong[1] == ""
    assert manager_asks[0] == 2 and manager_asks[1] == ""
    assert "answer a guest's request for their data" in manager_asks[2]
