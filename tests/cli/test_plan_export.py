"""`backroom plan export FILE`: the desk's venue and plan as the file the server loads."""

from __future__ import annotations

import io
import json
import sys

import pytest

from app.cli import main
from app.domain.plan_data import deposit_policy_from_dict, floor_plan_from_dict, venue_from_dict
from app.models.uow import Store
from app.services.desk import Desk
from resources import BACKROOM_JSON

HOURS = "Mon-Thu 17:00-00:00, Fri-Sat 17:00-02:00, Sun closed"


def run(monkeypatch, capsys, db, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def snug(monkeypatch, capsys, tmp_path):
    db = tmp_path / "snug.sqlite3"
    args = ["init", "--venue", "The Snug", "--hours", HOURS, "--admin", "kim", "--pin-stdin"]
    assert run(monkeypatch, capsys, db, *args, "--plan", str(BACKROOM_JSON), stdin="4826\n")[0] == 0
    return db


def test_the_exported_file_reads_back_as_the_desks_own_venue_and_plan(
    monkeypatch, capsys, tmp_path, snug
):
    target = tmp_path / "snug-plan.json"

    code, said = run(monkeypatch, capsys, snug, "plan", "export", str(target))

    store = Store(snug, create=False)
    rules = Desk(store).queries.venue()
    data = json.loads(target.read_text())
    assert code == 0 and "Wrote The Snug's plan" in said and "16 table(s)" in said
    assert f"create-admin --venue {rules.venue.id}" in said and "--upload" in said
    assert venue_from_dict(data["venue"]) == rules.venue
    assert deposit_policy_from_dict(data["venue"]["deposit_policy"]) == rules.deposits
    assert floor_plan_from_dict(data) == rules.plan
    store.close()


def test_an_existing_file_is_kept_unless_forced(monkeypatch, capsys, tmp_path, snug):
    target = tmp_path / "snug-plan.json"
    target.write_text("the manager's notes")

    refused = run(monkeypatch, capsys, snug, "plan", "export", str(target))
    kept = target.read_text()
    forced = run(monkeypatch, capsys, snug, "plan", "export", str(target), "--force")

    assert refused[0] == 2 and "already exists" in refused[1] and "--force" in refused[1]
    assert kept == "the manager's notes"
    assert forced[0] == 0 and json.loads(target.read_text())["venue"]["name"] == "The Snug"


def test_a_path_in_no_folder_or_a_folder_is_refused_with_nothing_written(
    monkeypatch, capsys, tmp_path, snug
):
    nowhere = run(monkeypatch, capsys, snug, "plan", "export", str(tmp_path / "no" / "p.json"))
    folder = run(monkeypatch, capsys, snug, "plan", "export", str(tmp_path))

    assert nowhere[0] == 2 and "There is no folder" in nowhere[1]
    assert folder[0] == 2 and "is a folder" in folder[1]
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("snug.sqlite3")]
    assert "Traceback" not in nowhere[1] + folder[1]


def test_a_desk_with_no_venue_has_no_plan_to_export(monkeypatch, capsys, tmp_path):
    db = tmp_path / "new.sqlite3"
    assert run(monkeypatch, capsys, db, "db", "upgrade", "--create")[0] == 0

    code, said = run(monkeypatch, capsys, db, "plan", "export", str(tmp_path / "p.json"))

    assert code == 2 and "has no venue yet" in said
    assert not (tmp_path / "p.json").exists()
