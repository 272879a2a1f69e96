"""backroom-server, run as docs/server.md says: migrate, create-venue, create-admin, serve."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from tests.server.harness import VENUE_ID
from tests.server.uvicorn_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def run(url, *args, stdin=None):
    return run_with({**os.environ, "BACKROOM_DATABASE_URL": url}, *args, stdin=stdin)


def run_with(env, *args, stdin=None):
    """``backroom-server ARGS`` with exactly these environment variables (and this tree)."""
    env = {**env, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_the_documented_commands_bring_up_a_server_an_admin_can_sign_in_to(empty_database_url):
    port = free_port()

    migrated = run(empty_database_url, "migrate")
    venue = run(empty_database_url, "create-venue", "resources/backroom.json")
    admin = run(
        empty_database_url,
        "create-admin",
        "--venue",
        str(VENUE_ID),
        "--username",
        "owner",
        "--name",
        "The Owner",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    env = {**os.environ, "BACKROOM_DATABASE_URL": empty_database_url, "PYTHONPATH": str(ROOT)}
    serving = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        login = None
        for _ in range(100):
            try:
                login = httpx.post(
                    f"http://127.0.0.1:{port}/v1/auth/login",
                    json={
                        "venue_id": str(VENUE_ID),
                        "username": "owner",
                        "password": "a long enough password",
                    },
                )
                break
            except httpx.ConnectError:
                time.sleep(0.1)
    finally:
        serving.terminate()
        serving.wait(timeout=10)

    assert migrated.returncode == 0, migrated.stderr
    assert venue.returncode == 0 and "The Backroom" in venue.stdout, venue.stderr
    assert admin.returncode == 0, admin.stderr
    assert login is not None and login.status_code == 200, login
    assert login.json()["staff"]["role"] == "admin"


def test_a_missing_database_setting_is_explained_not_a_traceback(empty_database_url):
    env = {k: v for k, v in os.environ.items() if k != "BACKROOM_DATABASE_URL"}

    result = run_with(env, "migrate")

    assert result.returncode != 0
    assert "  BACKROOM_DATABASE_URL: required" in result.stderr
    assert "Traceback" not in result.stderr


def test_saying_the_database_was_restored_without_its_setting_is_explained():
    env = {k: v for k, v in os.environ.items() if k != "BACKROOM_DATABASE_URL"}

    result = run_with(env, "restored")

    assert result.returncode != 0
    assert "  BACKROOM_DATABASE_URL: required" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_setting_is_named_by_its_variable_and_what_is_wrong_with_it():
    env = {**os.environ, "BACKROOM_DATABASE_URL": "postgresql://x/y"}
    env |= {"BACKROOM_SMTP_PORT": "five", "BACKROOM_POOL_SIZE": "0"}

    result = run_with(env, "migrate")

    assert result.returncode != 0
    assert "BACKROOM_DATABASE_URL" not in result.stderr  # it is set: not the problem
    assert "  BACKROOM_SMTP_PORT: Input should be a valid integer" in result.stderr
    assert "  BACKROOM_POOL_SIZE: Input should be greater than or equal to 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_reached_is_explained_not_a_traceback(empty_database_url):
    nobody_listens = f"postgresql+psycopg://backroom:s3cret-pw@127.0.0.1:{free_port()}/backroom"
    missing = empty_database_url.rsplit("/", 1)[0] + "/no_such_database"

    unreachable = run(nobody_listens, "migrate")
    listed = run(nobody_listens, "list-staff", "--venue", str(VENUE_ID))
    no_database = run(missing, "create-venue", "resources/backroom.json")

    for result in (unreachable, listed, no_database):
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert "Check BACKROOM_DATABASE_URL" in result.stderr
        assert "s3cret-pw" not in result.stderr
    assert "Connection refused" in unreachable.stderr
    assert 'database "no_such_database" does not exist' in no_database.stderr


def test_a_plan_reusing_another_venues_table_ids_is_refused_and_moves_nothing(
    empty_database_url, tmp_path
):
    plan = json.loads((ROOT / "resources" / "backroom.json").read_text())
    plan["venue"]["id"] = "5d9c3f1e-0b7a-4c55-9a51-2f1d7e0c8b44"
    plan["venue"]["name"] = "The Copycat"
    copied = tmp_path / "copycat.json"
    copied.write_text(json.dumps(plan))
    run(empty_database_url, "migrate")
    run(empty_database_url, "create-venue", "resources/backroom.json")

    refused = run(empty_database_url, "create-venue", str(copied))

    assert refused.returncode != 0
    assert "belongs to another venue" in refused.stderr
    assert "Traceback" not in refused.stderr
    with psycopg.connect(empty_database_url.replace("+psycopg", "")) as conn:
        venues = conn.execute("SELECT DISTINCT venue_id FROM tables").fetchall()
        names = conn.execute("SELECT name FROM venues").fetchall()
    assert venues == [(VENUE_ID,)]
    assert names == [("The Backroom",)]


def test_staff_of_any_role_are_created_and_listed_from_the_command_line(empty_database_url):
    run(empty_database_url, "migrate")
    run(empty_database_url, "create-venue", "resources/backroom.json")
    venue = ("--venue", str(VENUE_ID))

    made = run(
        empty_database_url,
        "create-staff",
        *venue,
        *("--username", "sam", "--name", "Sam Reed", "--role", "reception"),
        "--password-stdin",
        stdin="a long enough password\n",
    )
    short = run(
        empty_database_url,
        "create-staff",
        *venue,
        *("--username", "jo", "--name", "Jo", "--role", "manager", "--password-stdin"),
        stdin="short\n",
    )
    nowhere = run(
        empty_database_url,
        "create-staff",
        *("--venue", "00000000-0000-0000-0000-000000000000"),
        *("--username", "kim", "--name", "Kim", "--role", "manager", "--password-stdin"),
        stdin="a long enough password\n",
    )
    listed = run(empty_database_url, "list-staff", *venue)

    assert made.returncode == 0 and made.stdout.startswith("Reception sam (Sam Reed) created")
    assert short.returncode != 0 and "password" in short.stderr and "Traceback" not in short.stderr
    assert nowhere.returncode != 0 and "run create-venue first" in nowhere.stderr
    assert listed.returncode == 0
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [["sam", "reception"]]


def a_plan_with_ids_of_its_own(path: Path) -> Path:
    """The demo's floor under new ids, as a venue drawn at its own desk has."""
    text = (ROOT / "resources" / "backroom.json").read_text()
    plan = json.loads(text)
    for row in [plan["venue"], *plan["areas"], *plan["tables"], *plan["combinations"]]:
        text = text.replace(row["id"], str(uuid.uuid4()))
    path.write_text(text)
    return path


def test_a_desks_exported_plan_loads_with_its_own_ids_and_only_once(
    database_url, tmp_path, monkeypatch
):
    from app.cli import main as backroom

    desk, plan_file = str(tmp_path / "snug.sqlite3"), tmp_path / "snug-plan.json"
    drawn = a_plan_with_ids_of_its_own(tmp_path / "drawn.json")
    monkeypatch.setattr(sys, "stdin", io.StringIO("4826\n"))
    set_up = ["init", "--venue", "The Snug", "--hours", "Tue-Sat 18:00-01:00", "--admin", "kim"]
    assert backroom(["--db", desk, *set_up, "--pin-stdin", "--plan", str(drawn)]) == 0
    assert backroom(["--db", desk, "plan", "export", str(plan_file)]) == 0
    exported = json.loads(plan_file.read_text())

    loaded = run(database_url, "create-venue", str(plan_file))
    again = run(database_url, "create-venue", str(plan_file))
    updated = run(database_url, "create-venue", "--update", str(plan_file))

    venue_id = exported["venue"]["id"]
    assert loaded.returncode == 0 and venue_id in loaded.stdout and "The Snug" in loaded.stdout
    assert again.returncode != 0 and "Traceback" not in again.stderr
    assert f"already has the venue The Snug (id {venue_id}); nothing was changed" in again.stderr
    assert updated.returncode == 0 and "brought up to date" in updated.stdout
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        venues = conn.execute("SELECT id, name FROM venues").fetchall()
        held = {
            table: sorted(str(r[0]) for r in conn.execute(f"SELECT id FROM {table}"))
            for table in ("areas", "tables", "combinations")
        }
    assert [(str(i), n) for i, n in venues] == [(venue_id, "The Snug")]
    assert held == {key: sorted(row["id"] for row in exported[key]) for key in held}
