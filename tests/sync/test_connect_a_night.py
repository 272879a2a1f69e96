"""Connecting a desk that already holds a night to a server set up as the README says
(create-venue, create-admin): nothing is sent until a manager chooses, and neither choice
turns a booking into a conflict or strips its tables."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.cli import main
from tests.sync.readme_server import OWNER_PASSWORD, desk_bookings, server_bookings
from tests.sync.world import NOW

# A Thursday's night in full swing: parties seated, and walk-ins seated by re-arranging
# bookings made earlier the same night, before the desk ever spoke to a server.
IN_FULL_SWING = datetime(2026, 12, 3, 22, 15, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 12, 4, 1, 30, tzinfo=UTC)


def backroom(monkeypatch, capsys, db, *args, stdin="", at=NOW):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--db", str(db), *args], clock=lambda: at)
    out = capsys.readouterr()
    return code, out.out + out.err


def demo_desk(tmp_path, monkeypatch, capsys, name, at=NOW):
    db = tmp_path / f"{name}.sqlite3"
    assert backroom(monkeypatch, capsys, db, "demo", at=at)[0] == 0
    return db


def connect(monkeypatch, capsys, db, base, *choice, user="owner"):
    return backroom(
        monkeypatch,
        capsys,
        db,
        *("connect", "--server", base, "--user", user, "--password-stdin", *choice),
        stdin=OWNER_PASSWORD + "\n",
    )


def test_the_demo_desk_says_what_it_holds_and_sends_nothing_until_told(
    readme_server, tmp_path, monkeypatch, capsys
):
    base, url = readme_server
    db = demo_desk(tmp_path, monkeypatch, capsys, "demo")

    code, said = connect(monkeypatch, capsys, db, base)

    assert code == 2 and "This desk holds" in said and "booking(s)" in said
    assert "--upload" in said and "--take-server" in said and "owner" in said
    assert server_bookings(url) == {"_devices": 0}


@pytest.mark.parametrize("at", [NOW, IN_FULL_SWING, AFTER_MIDNIGHT], ids=str)
def test_uploading_the_demo_night_creates_its_staff_and_keeps_every_booking_and_table(
    readme_server, readme_clock, tmp_path, monkeypatch, capsys, at
):
    base, url = readme_server
    readme_clock.at = at  # the server's time is the desk's
    db = demo_desk(tmp_path, monkeypatch, capsys, "demo", at=at)
    on_desk = desk_bookings(db)

    connected = connect(monkeypatch, capsys, db, base, "--upload")
    synced = backroom(monkeypatch, capsys, db, "sync")

    assert connected[0] == 0 and "Created on the server: alex" in connected[1]
    assert synced[1].startswith("up to date: 0 waiting to send, 0 conflicts"), synced[1]
    assert synced[0] == 0
    on_server = server_bookings(url)
    del on_server["_devices"]
    assert on_server == on_desk
    assert desk_bookings(db) == on_desk
    assert not any(status == "conflict" for status, _ in on_server.values())


def test_a_manager_cannot_upload_staff_the_server_does_not_know_and_nothing_is_registered(
    readme_server, tmp_path, monkeypatch, capsys
):
    base, url = readme_server
    db = demo_desk(tmp_path, monkeypatch, capsys, "demo")

    code, said = connect(monkeypatch, capsys, db, base, "--upload", user="morgan")

    assert code == 2 and "Connect with an admin's sign-in" in said and "sam (reception)" in said
    assert server_bookings(url) == {"_devices": 0}


def test_a_second_desk_takes_the_servers_night_and_keeps_its_own_in_files(
    readme_server, tmp_path, monkeypatch, capsys
):
    base, _ = readme_server
    first = demo_desk(tmp_path, monkeypatch, capsys, "bar")
    assert connect(monkeypatch, capsys, first, base, "--upload")[0] == 0
    assert backroom(monkeypatch, capsys, first, "sync")[0] == 0
    second = demo_desk(tmp_path, monkeypatch, capsys, "laptop")
    its_own = desk_bookings(second)

    taken = connect(monkeypatch, capsys, second, base, "--take-server")
    synced = backroom(monkeypatch, capsys, second, "sync")

    assert taken[0] == 0 and "it now takes the server's night" in taken[1]
    assert synced[0] == 0 and ", 0 conflicts" in synced[1]
    assert desk_bookings(second) == desk_bookings(first)
    [copy] = tmp_path.glob("laptop.before-rebuild-*.sqlite3")
    assert desk_bookings(copy) == its_own
    [unsent] = tmp_path.glob("laptop.unsent-*.json")
    assert len(json.loads(unsent.read_text())["changes"]) > 0


def test_a_night_an_admin_made_is_uploaded_only_with_an_admins_sign_in_and_keeps_its_tables(
    readme_server, tmp_path, monkeypatch, capsys
):
    base, url = readme_server
    db = tmp_path / "own.sqlite3"
    hours = "Mon-Sun 17:00-02:00"
    init = ["init", "--venue", "The Backroom", "--hours", hours, "--admin", "kim", "--pin-stdin"]
    plan = ("--plan", "resources/backroom.json")  # its ids are the server's venue's
    assert backroom(monkeypatch, capsys, db, *init, *plan, stdin="4826\n")[0] == 0
    at = NOW.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d 21:00")
    book = ["book", "--name", "Ava Wood", "--phone", "0113 496 0101", "--party", "4", "--at", at]
    assert backroom(monkeypatch, capsys, db, *book, "--staff", "kim")[0] == 0
    on_desk = desk_bookings(db)

    by_a_manager = connect(monkeypatch, capsys, db, base, "--upload", user="morgan")
    nothing_yet = server_bookings(url)
    by_an_admin = connect(monkeypatch, capsys, db, base, "--upload")
    synced = backroom(monkeypatch, capsys, db, "sync")

    assert by_a_manager[0] == 2 and "changes made by an admin" in by_a_manager[1]
    assert "Nothing was registered" in by_a_manager[1] and nothing_yet == {"_devices": 0}
    assert by_an_admin[0] == 0 and "acts for staff up to admin" in by_an_admin[1]
    assert synced[1].startswith("up to date: 0 waiting to send, 0 conflicts"), synced[1]
    on_server = server_bookings(url)
    del on_server["_devices"]
    assert on_server == on_desk and all(tables for _, tables in on_desk.values())


def test_sync_take_server_keeps_a_copy_and_takes_the_servers_night_again(
    tmp_path, monkeypatch, capsys, readme_server
):
    base, _ = readme_server
    db = demo_desk(tmp_path, monkeypatch, capsys, "bar")
    assert connect(monkeypatch, capsys, db, base, "--upload")[0] == 0
    assert backroom(monkeypatch, capsys, db, "sync")[0] == 0
    before = desk_bookings(db)

    both = backroom(monkeypatch, capsys, db, "sync", "--take-server", "--rebuild")
    taken = backroom(monkeypatch, capsys, db, "sync", "--take-server")

    assert both[0] != 0 and "Choose one" in both[1]
    assert taken[0] == 0, taken[1]
    assert "takes the server's night again" in taken[1]
    assert "up to date: 0 waiting to send, 0 conflicts" in taken[1]
    [copy] = tmp_path.glob("bar.before-retake-*.sqlite3")
    assert desk_bookings(copy) == before
    assert desk_bookings(db) == before
