"""`backroom connect` and `backroom sync` against a real server over HTTP."""

import io
import sys

import pytest
from sqlalchemy import create_engine, text

from app.cli import main
from server.settings import Settings
from tests.server.uvicorn_server import serving
from tests.sync.world import PASSWORD


@pytest.fixture
def server_url(sync_db, server_clock):
    with serving(Settings(database_url=sync_db), server_clock) as url:
        yield url


@pytest.fixture
def desk_db(tmp_path, capsys):
    path = str(tmp_path / "desk.sqlite3")
    assert main(["--db", path, "db", "upgrade", "--create"]) == 0
    capsys.readouterr()  # what a test reads starts with its own commands
    return path


@pytest.fixture
def backroom(monkeypatch, capsys, desk_db):
    """Run `backroom --db DESK ARGS…` with the given standard input; (exit code, output)."""

    def run(*args, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--db", desk_db, *args])
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
        "2026-12-02 20:00",
    )
    synced = backroom("sync")

    assert connected[0] == 0 and "Connected this desk" in connected[1]
    assert booked[0] == 0
    assert synced[0] == 0 and synced[1].startswith("up to date: 0 waiting to send")
    reference = booked[1].split()[0]
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
