"""backroom-server, run as docs/server.md says: migrate, create-venue, create-admin, serve."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

from tests.server.harness import VENUE_ID
from tests.server.uvicorn_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def run(url, *args, stdin=None):
    env = {**os.environ, "BACKROOM_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
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
    env["PYTHONPATH"] = str(ROOT)

    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )

    assert result.returncode != 0
    assert "BACKROOM_DATABASE_URL is required" in result.stderr
    assert "Traceback" not in result.stderr


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
