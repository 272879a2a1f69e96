"""Going live as the README and docs/operations.md say, with the real server processes: a
venue that ran standalone (set up with ``backroom init --venue``, its own plan and ids, a
night booked at its desk) and the demo desk both connect and upload their nights. Set-up
turns no booking into a conflict and every booking keeps its tables, on server and desks.

The server is ``backroom-server`` run as its own processes (``serve``, ``create-venue``,
``create-admin``); the desks are ``backroom`` commands on real SQLite files, run in this
process so their clock is fixed and their token can go in an in-memory keyring."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main
from app.domain.floorplan import Table
from app.models.uow import Store
from app.services.desk import Desk
from resources import BACKROOM_JSON
from tests.e2e.conftest import DESK_START, server_command, serving_process
from tests.sync import memory_keyring
from tests.sync.readme_server import desk_bookings, server_bookings

NOW = datetime.fromisoformat(DESK_START)  # a Wednesday, 15:00 in London
HOURS = "Mon-Thu 17:00-00:00, Fri-Sat 17:00-02:00, Sun closed"
PASSWORD = "the owner's long password"


@pytest.fixture(autouse=True)
def keyring_in_memory() -> memory_keyring.MemoryKeyring:
    return memory_keyring.install()


def backroom(monkeypatch, capsys, db: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--db", str(db), *args], clock=lambda: NOW)
    out = capsys.readouterr()
    return code, out.out + out.err


def snug_plan(path: Path) -> Path:
    """The Snug's own floor: two rooms, five tables and a join, every id its own."""
    snug, cellar = str(uuid.uuid4()), str(uuid.uuid4())
    tables = [
        (1, snug, 2, 2),
        (2, snug, 2, 4),
        (3, snug, 4, 6),
        (4, cellar, 4, 6),
        (5, cellar, 2, 4),
    ]
    rows = [
        {"id": str(uuid.uuid4()), "number": n, "area_id": a, "min_covers": lo, "max_covers": hi}
        for n, a, lo, hi in tables
    ]
    join = {
        "id": str(uuid.uuid4()),
        "name": "Cellar 4+5",
        "table_ids": [rows[3]["id"], rows[4]["id"]],
        "min_party": 7,
        "max_party": 10,
    }
    plan = {
        "areas": [{"id": snug, "name": "Snug"}, {"id": cellar, "name": "Cellar"}],
        "tables": rows,
        "combinations": [join],
    }
    path.write_text(json.dumps(plan))
    return path


def set_up_the_snug(monkeypatch, capsys, tmp_path: Path) -> Path:
    """`backroom init --venue "The Snug" …`, a table drawn, a colleague added, a night booked."""
    db = tmp_path / "snug.sqlite3"
    init = ["init", "--venue", "The Snug", "--hours", HOURS, "--admin", "kim"]
    plan = ["--admin-name", "Kim Shah", "--plan", str(snug_plan(tmp_path / "drawn.json"))]
    assert backroom(monkeypatch, capsys, db, *init, *plan, "--pin-stdin", stdin="4826\n")[0] == 0
    desk = Desk(Store(db), lambda: NOW)
    kim = desk.auth.sign_in("kim", "4826")
    area = desk.queries.venue().plan.areas[0].id
    desk.floor.save_table(kim, Table(str(uuid.uuid4()), 6, area, 2, 8, x=300.0, y=40.0))
    desk.store.close()
    added = backroom(
        monkeypatch,
        capsys,
        db,
        *("staff", "add", "sam", "--name", "Sam Reid", "--role", "reception", "--pin-stdin"),
        stdin="4826\n1111\n",
    )
    assert added[0] == 0, added[1]
    night = [
        ("Ava Wood", "0113 496 0101", 2, "19:00"),
        ("Ben Hall", "0113 496 0102", 4, "19:30"),
        ("Cara Lee", "0113 496 0103", 6, "20:00"),
        ("Dev Shah", "0113 496 0104", 9, "20:00"),  # the Cellar join
        ("Eve Moss", "0113 496 0105", 8, "21:00"),  # the table drawn after set-up
        ("Finn Roe", "0113 496 0106", 2, "22:00"),
    ]
    for name, phone, party, at in night:
        booked = backroom(
            monkeypatch,
            capsys,
            db,
            *("book", "--name", name, "--phone", phone, "--party", str(party)),
            *("--at", f"2027-03-03 {at}", "--staff", "sam"),
        )
        assert booked[0] == 0, booked[1]
    return db


def registered(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT server_url FROM device").fetchone()[0]


def unsent(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]


def connect(monkeypatch, capsys, db: Path, port: int, *choice: str) -> tuple[int, str]:
    server = ("--server", f"http://127.0.0.1:{port}", "--user", "owner", "--password-stdin")
    return backroom(monkeypatch, capsys, db, "connect", *server, *choice, stdin=PASSWORD + "\n")


def create_admin(database_url: str, venue_id: str) -> None:
    made = server_command(
        database_url,
        *("create-admin", "--venue", venue_id, "--username", "owner", "--name", "The Owner"),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr


def test_a_standalone_venue_and_the_demo_go_live_with_every_booking_and_table_intact(
    database_url, tmp_path, monkeypatch, capsys
):
    snug = set_up_the_snug(monkeypatch, capsys, tmp_path)
    demo = tmp_path / "demo.sqlite3"
    assert backroom(monkeypatch, capsys, demo, "demo")[0] == 0
    snug_night, demo_night = desk_bookings(snug), desk_bookings(demo)
    snug_unsent = unsent(snug)
    plan_file = tmp_path / "snug-plan.json"

    with serving_process(database_url) as port:
        too_soon = connect(monkeypatch, capsys, snug, port, "--upload")
        nothing_yet = server_bookings(database_url)
        left_as_it_was = (registered(snug), unsent(snug), desk_bookings(snug))
        exported = backroom(monkeypatch, capsys, snug, "plan", "export", str(plan_file))
        venue_id = json.loads(plan_file.read_text())["venue"]["id"]
        loaded = server_command(database_url, "create-venue", str(plan_file))
        loaded_demo = server_command(database_url, "create-venue", str(BACKROOM_JSON))
        create_admin(database_url, venue_id)
        create_admin(database_url, json.loads(BACKROOM_JSON.read_text())["venue"]["id"])
        connected = connect(monkeypatch, capsys, snug, port, "--upload")
        synced = backroom(monkeypatch, capsys, snug, "sync")
        connected_demo = connect(monkeypatch, capsys, demo, port, "--upload")
        synced_demo = backroom(monkeypatch, capsys, demo, "sync")
        synced_again = backroom(monkeypatch, capsys, snug, "sync")

    # Connecting before the server has the venue says what to do and changes nothing.
    assert too_soon[0] == 2, too_soon[1]
    assert f"This server has no venue 'The Snug' (id {venue_id})" in too_soon[1]
    assert "backroom plan export the-snug-plan.json" in too_soon[1]
    assert "backroom-server create-venue the-snug-plan.json" in too_soon[1]
    assert nothing_yet == {"_devices": 0}
    assert left_as_it_was == (None, snug_unsent, snug_night)
    # The README's sequence, then: every booking arrives whole, nothing is in conflict.
    assert exported[0] == 0 and loaded.returncode == 0, loaded.stderr
    assert loaded_demo.returncode == 0, loaded_demo.stderr
    assert connected[0] == 0 and "Created on the server: kim, sam" in connected[1], connected[1]
    assert connected_demo[0] == 0, connected_demo[1]
    for said in (synced, synced_demo, synced_again):
        assert said[0] == 0 and said[1].startswith("up to date: 0 waiting to send, 0 conflicts"), (
            said[1]
        )
    on_server = server_bookings(database_url)
    assert on_server.pop("_devices") == 2
    assert on_server == {**snug_night, **demo_night}
    assert desk_bookings(snug) == snug_night and desk_bookings(demo) == demo_night
    assert len(snug_night) == 6 and all(tables for _, tables in snug_night.values())
    assert not any(status == "conflict" for status, _ in on_server.values())
