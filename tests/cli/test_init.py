"""`backroom init`: a new desk becomes the demo or a venue of its own, and nothing else."""

from __future__ import annotations

import io
import json
import sys

import pytest

from app.cli import main
from app.models.uow import Store
from app.services.demo import demo_pins_hint
from app.services.desk import Desk
from resources import BACKROOM_JSON
from tests.conftest import at_start

HOURS = "Mon-Thu 17:00-00:00, Fri-Sat 17:00-02:00, Sun closed"


def run(monkeypatch, capsys, db, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--db", str(db), *args], clock=at_start)
    out = capsys.readouterr()
    return code, out.out + out.err


def set_up(monkeypatch, capsys, db, *extra, hours=HOURS, pin="4826\n"):
    args = ["init", "--venue", "The Snug", "--hours", hours, "--admin", "owner", "--pin-stdin"]
    return run(monkeypatch, capsys, db, *args, *extra, stdin=pin)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "desk.sqlite3"


def test_init_demo_is_the_only_way_to_a_demo_night_and_its_pins(monkeypatch, capsys, db):
    code, said = run(monkeypatch, capsys, db, "init", "--demo")

    store = Store(db, create=False)
    assert code == 0 and said.startswith("Seeded The Backroom demo:")
    assert demo_pins_hint(store) is not None
    store.close()


def test_a_venue_set_up_from_a_plan_file_has_its_tables_hours_and_admin_and_no_demo(
    monkeypatch, capsys, db
):
    code, said = set_up(monkeypatch, capsys, db, "--plan", str(BACKROOM_JSON))
    listed = run(monkeypatch, capsys, db, "bookings", "list")

    desk = Desk(Store(db, create=False))
    venue = desk.queries.venue()
    assert code == 0 and "Set up The Snug: 16 tables" in said
    assert listed[0] == 0 and "The Snug" in listed[1] and ": 0 bookings" in listed[1]
    assert (
        6 not in venue.venue.opening_hours
        and f"{venue.venue.opening_hours[4].closes}" == "02:00:00"
    )
    assert desk.auth.sign_in("owner", "4826").name == "owner"
    assert [s.name for s in desk.auth.staff()] == ["owner"]
    assert demo_pins_hint(desk.store) is None
    desk.store.close()


def test_a_venue_with_no_plan_file_starts_with_one_empty_room(monkeypatch, capsys, db):
    code, said = set_up(monkeypatch, capsys, db)

    assert code == 0 and "Set up The Snug: 0 tables" in said


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("Mon-Fri 17:00-07:00", "Mon: a night that closes after midnight closes by 06:00."),
        ("Someday 17:00-01:00", "'Someday' is not a day of the week"),
        ("Mon 17:00-01:00, Mon closed", "Mon is named twice."),
        ("Sun closed", "Open the venue on at least one day of the week."),
    ],
)
def test_hours_a_venue_cannot_keep_are_refused_and_no_desk_is_made(
    monkeypatch, capsys, db, hours, message
):
    code, said = set_up(monkeypatch, capsys, db, hours=hours)

    assert code == 2 and message in said and "Traceback" not in said
    assert not db.exists()


def test_a_bad_pin_or_plan_is_refused_and_no_desk_is_made(monkeypatch, capsys, db, tmp_path):
    not_a_plan = tmp_path / "plan.json"
    not_a_plan.write_text(json.dumps({"areas": [{"id": "x", "name": "Bar"}], "tables": []}))

    short_pin = set_up(monkeypatch, capsys, db, pin="12\n")
    bad_plan = set_up(monkeypatch, capsys, db, "--plan", str(not_a_plan))
    missing = set_up(monkeypatch, capsys, db, "--plan", str(tmp_path / "nowhere.json"))

    assert short_pin[0] == 2 and "A PIN is 4 to 8 digits." in short_pin[1]
    assert bad_plan[0] == 2 and "'x' in the plan is not an id" in bad_plan[1]
    assert missing[0] == 2 and "Cannot read the plan file" in missing[1]
    assert not db.exists()


def test_init_refuses_a_desk_that_has_its_venue_and_changes_nothing(monkeypatch, capsys, db):
    set_up(monkeypatch, capsys, db)

    demo = run(monkeypatch, capsys, db, "init", "--demo")
    again = set_up(monkeypatch, capsys, db)
    old_demo = run(monkeypatch, capsys, db, "demo")

    assert demo[0] == 2 and "already has its venue" in demo[1]
    assert again[0] == 2 and "already has its venue" in again[1]
    assert old_demo[0] == 0 and "nothing seeded" in old_demo[1]
    store = Store(db, create=False)
    assert demo_pins_hint(store) is None
    store.close()


def test_a_new_desk_refuses_commands_until_it_is_set_up(monkeypatch, capsys, db):
    run(monkeypatch, capsys, db, "db", "upgrade", "--create")

    listed = run(monkeypatch, capsys, db, "bookings", "list")
    neither = run(monkeypatch, capsys, db, "init")

    assert listed[0] == 2 and "backroom init --demo" in listed[1]
    assert neither[0] == 2 and "Say what this desk is" in neither[1]


@pytest.mark.parametrize(
    ("command", "first_words"),
    [
        ("bookings", "The Snug — "),
        ("deposits", "Deposit ledger, night of "),
        ("staff", "owner "),
        ("refusals", "No refused changes on this desk."),
        ("audit", "audit chain intact: "),
    ],
)
def test_a_command_on_its_own_lists_or_checks_instead_of_asking_for_an_action(
    monkeypatch, capsys, db, command, first_words
):
    set_up(monkeypatch, capsys, db)

    code, said = run(monkeypatch, capsys, db, command)

    assert code == 0 and said.startswith(first_words)


def test_a_plan_file_missing_its_tables_is_refused_in_words_and_no_desk_is_made(
    monkeypatch, capsys, db, tmp_path
):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"areas": [{"id": "a", "name": "Bar"}]}))

    code, said = set_up(monkeypatch, capsys, db, "--plan", str(plan))

    assert code == 2
    assert said == "error: The plan file is not a Backroom plan: it has no 'tables'.\n"
    assert not db.exists()
