"""`backroom connect` and `backroom sync` against a real server over HTTP."""

import io
import sqlite3
import sys

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import KeyringError
from sqlalchemy import create_engine, text

from app.cli import main
from app.sync.credentials import no_keyring_message
from resources import BACKROOM_JSON
from server.settings import Settings
from tests.server.uvicorn_server import serving
from tests.sync import memory_keyring
from tests.sync.memory_keyring import MemoryKeyring
from tests.sync.world import NOW, PASSWORD


@pytest.fixture
def server_url(sync_db, server_clock):
    with serving(Settings(database_url=sync_db), server_clock) as url:
        yield url


@pytest.fixture
def desk_db(tmp_path, capsys, monkeypatch):
    """A venue set up on its own desk from the same plan file as the server, with no night."""
    path = str(tmp_path / "desk.sqlite3")
    monkeypatch.setattr(sys, "stdin", io.StringIO("2222\n"))
    init = ["init", "--venue", "The Backroom", "--plan", str(BACKROOM_JSON)]
    hours = ["--hours", "Mon-Sun 17:00-01:00", "--admin", "alex", "--pin-stdin"]
    assert main(["--db", path, *init, *hours], clock=lambda: NOW) == 0
    capsys.readouterr()  # what a test reads starts with its own commands
    return path


@pytest.fixture
def backroom(monkeypatch, capsys, desk_db):
    """Run `backroom --db DESK ARGS…` with the given standard input; (exit code, output)."""

    def run(*args, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--db", desk_db, *args], clock=lambda: NOW)
        out = capsys.readouterr()
        return code, out.out + out.err

    return run


def connect(backroom, server_url, password):
    return backroom(
        "connect",
        "--server",
        server_url,
        "--user",
        "alex",
        "--password-stdin",
        stdin=password + "\n",
    )


def test_a_desk_connects_with_a_managers_sign_in_and_its_booking_reaches_the_server(
    backroom, server_url, sync_db
):
    connected = connect(backroom, server_url, PASSWORD)
    booked = backroom(
        "book",
        "--name",
        "Ava Wood",
        "--phone",
        "0113 496 0001",
        "--party",
        "4",
        "--at",
        "2026-11-25 20:00",  # the evening of the server's fixed clock
    )
    synced = backroom("sync")

    assert connected[0] == 0 and "Connected this desk" in connected[1]
    assert booked[0] == 0
    assert synced[0] == 0 and synced[1].startswith("up to date: 0 waiting to send")
    reference = booked[1].split()[0].replace("-", "")  # shown in groups, "8S0W-VKBZ-SXC"
    engine = create_engine(sync_db)
    with engine.connect() as conn:
        on_server = conn.execute(text("SELECT reference, status FROM bookings")).all()
    engine.dispose()
    assert on_server == [(reference, "confirmed")]


def test_a_wrong_password_is_refused_in_words_and_the_desk_stays_unconnected(backroom, server_url):
    code, output = connect(backroom, server_url, "wrong")
    after = backroom("sync")

    assert code == 2 and "password" in output.lower()
    assert after[0] == 2 and "not connected" in after[1]


def test_an_unreachable_server_is_reported_without_a_traceback(backroom):
    code, output = connect(backroom, "http://127.0.0.1:9", "x")

    assert code == 2 and "Traceback" not in output and output.startswith("error:")


def test_rebuilding_asks_for_a_manager_and_a_server_and_changes_nothing_without_them(backroom):
    no_user = backroom("sync", "--rebuild")
    no_server = backroom("sync", "--rebuild", "--user", "alex", "--password-stdin", stdin="x\n")
    stray = backroom("sync", "--user", "alex")

    assert no_user[0] == 2 and "--user NAME" in no_user[1]
    assert no_server[0] == 2 and "not connected to a server" in no_server[1]
    assert stray[0] == 2 and "go with --rebuild" in stray[1]
    assert "Traceback" not in no_user[1] + no_server[1] + stray[1]


class TokenRefusingKeyring(MemoryKeyring):
    """A store that takes the desk's probe but refuses the token itself (a locked vault)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if password.startswith("brd_"):
            raise KeyringError("the vault was locked")
        super().set_password(service, username, password)


def desks_on_server(sync_db, desk_db) -> list[tuple[str, object]]:
    with sqlite3.connect(desk_db) as conn:
        device_id = conn.execute("SELECT id FROM device").fetchone()[0]
    engine = create_engine(sync_db)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT name, revoked_at FROM devices WHERE id = :id"), {"id": device_id}
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_without_a_keyring_connect_says_how_to_get_one_and_registers_nothing(
    backroom, server_url, sync_db, desk_db
):
    keyring.set_keyring(fail.Keyring())
    refused = connect(backroom, server_url, PASSWORD)
    nothing = desks_on_server(sync_db, desk_db)
    memory_keyring.install()

    connected = connect(backroom, server_url, PASSWORD)

    assert refused[0] == 2 and "no secure password store" in refused[1]
    assert "GNOME Keyring" in refused[1] and "Traceback" not in refused[1]
    assert nothing == []
    assert connected[0] == 0 and "Connected this desk" in connected[1]


def test_a_token_the_keyring_refused_after_the_server_said_yes_does_not_brick_the_desk(
    backroom, server_url, sync_db, desk_db
):
    keyring.set_keyring(TokenRefusingKeyring())
    failed = connect(backroom, server_url, PASSWORD)
    registered = desks_on_server(sync_db, desk_db)
    memory_keyring.install()

    retried = connect(backroom, server_url, PASSWORD)
    synced = backroom("sync")

    assert failed[0] == 2 and "refused the desk's token" in failed[1]
    assert len(registered) == 1  # the server had said yes
    assert retried[0] == 0 and "Connected this desk" in retried[1]
    assert synced[0] == 0 and synced[1].startswith("up to date")


def test_the_no_keyring_message_names_each_systems_password_store():
    assert "Credential Manager" in no_keyring_message("win32")
    assert "login Keychain" in no_keyring_message("darwin")
    assert "Secret Service" in no_keyring_message("linux")
