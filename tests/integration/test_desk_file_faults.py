"""A desk's file that is damaged, read-only, full, from a newer Backroom or not there at all:
every command says what happened and what to do, in words, and changes nothing."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.integration.file_faults import (
    FUTURE_REVISION,
    damage,
    fingerprint,
    from_a_newer_backroom,
    read_only,
    small_files,
)

# A fixed evening, written up as a past booking so that no "now" can make it a bad date.
AT = ["--at", "2026-11-25 20:00", "--record-past"]


def book(name: str, phone: str) -> list[str]:
    return ["book", "--name", name, "--phone", phone, "--party", "2", *AT]


BOOK = book("Ava Wood", "0113 496 0001")


def run(db_path: Path, *args: str, capsys) -> tuple[int, str]:
    code = main(["--db", str(db_path), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def bookings_in(db_path: Path) -> int:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT count(*) FROM booking").fetchone()[0]


@pytest.mark.parametrize(
    "command",
    [["bookings", "list"], ["audit", "verify"], ["db", "upgrade"], BOOK, ["demo"]],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_file_from_a_newer_backroom_is_refused_by_every_command_and_left_untouched(
    store, db_path, capsys, command
):
    store.close()
    from_a_newer_backroom(db_path)
    before = fingerprint(db_path)

    code, text = run(db_path, *command, capsys=capsys)

    assert code == 3
    assert f"written by a newer Backroom (schema {FUTURE_REVISION}" in text
    assert "update this desk" in text and "Traceback" not in text
    assert fingerprint(db_path) == before


@pytest.mark.parametrize(
    "command",
    [["bookings", "list"], ["audit", "verify"], ["db", "upgrade"], BOOK, ["sync"]],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_mistyped_db_path_is_refused_and_no_desk_or_folder_is_created(tmp_path, capsys, command):
    typo = tmp_path / "desks" / "recption.sqlite3"

    code, text = run(typo, *command, capsys=capsys)

    assert code == 3 and f"There is no desk database at {typo}" in text
    assert "db upgrade --create" in text
    assert not typo.parent.exists()


def test_a_new_desk_is_made_only_when_asked_with_db_upgrade_create(tmp_path, capsys):
    new = tmp_path / "bar.sqlite3"

    code, _ = run(new, "db", "upgrade", "--create", capsys=capsys)
    listed, text = run(new, "bookings", "list", capsys=capsys)

    assert code == 0 and listed == 2 and "This desk has no venue yet" in text


def test_a_file_that_is_not_a_backroom_desk_is_refused_and_not_turned_into_one(tmp_path, capsys):
    other = tmp_path / "accounts.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE ledger (amount INTEGER)")
        conn.commit()
    before = fingerprint(other)

    code, text = run(other, "db", "upgrade", "--create", capsys=capsys)

    assert code == 3 and "is not a Backroom desk database (it holds other data)" in text
    assert fingerprint(other) == before


def test_a_damaged_file_is_explained_instead_of_a_traceback(store, db_path, capsys):
    store.close()
    damage(db_path)

    code, text = run(db_path, "bookings", "list", capsys=capsys)

    assert code == 3 and "Traceback" not in text
    assert "is damaged" in text and "restore the last backup" in text


def backroom(db_path: Path, *args: str, limit_writes: bool = False) -> tuple[int, str]:
    """The real command in a process of its own (SQLite shares file handles within one);
    ``limit_writes``: the kernel refuses to let it grow any file past 40 kB, so its first
    write to the database's log fails as a failing disk's would (EFBIG, "disk I/O error")."""
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_files if limit_writes else None,
    )
    return done.returncode, done.stdout + done.stderr


def test_a_booking_on_a_read_only_desk_file_is_refused_in_words_and_nothing_is_lost(store, db_path):
    store.close()
    backroom(db_path, *BOOK)

    with read_only(db_path):
        code, text = backroom(db_path, *book("Bo Li", "0113 496 0002"))

    assert code == 3 and "read-only" in text and "nothing was saved" in text
    assert "Traceback" not in text and "OperationalError" not in text
    assert bookings_in(db_path) == 1


def test_a_booking_in_a_read_only_folder_is_refused_in_words_and_nothing_is_lost(store, db_path):
    store.close()
    backroom(db_path, *BOOK)

    with read_only(db_path.parent):
        code, text = backroom(db_path, *book("Bo Li", "0113 496 0002"))

    assert code == 3 and "read-only" in text and "nothing was saved" in text.lower()
    assert "Traceback" not in text
    assert bookings_in(db_path) == 1


def test_a_disk_that_fails_a_write_is_explained_and_nothing_is_lost(store, db_path):
    store.close()
    backroom(db_path, *BOOK)

    code, text = backroom(db_path, *book("Bo Li", "0113 496 0002"), limit_writes=True)

    assert code == 3 and "The disk reported an error" in text and "nothing was saved" in text
    assert "Traceback" not in text
    assert bookings_in(db_path) == 1


@pytest.mark.parametrize(
    "shown", [["--json"], ["--date", "2030-01-01"]], ids=["a long list", "a one-line list"]
)
def test_bookings_list_into_a_pipe_that_closed_ends_without_a_traceback(store, db_path, shown):
    store.close()
    subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db_path), "demo"], check=True, capture_output=True
    )
    listing = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db_path), "bookings", "list", *shown],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # `| head -0`: the reader is gone before the first line is written.
    assert listing.stdout is not None
    listing.stdout.close()

    _, err = listing.communicate(timeout=120)

    assert b"Traceback" not in err and b"BrokenPipeError" not in err
    assert listing.returncode == 1
