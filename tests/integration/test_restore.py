"""`backroom db restore PATH`: the night put back from a backup, the current file kept aside
first, and a backup that must not be restored refused with nothing changed."""

from __future__ import annotations

import shutil
import sqlite3

from app.cli import main
from tests.integration.file_faults import (
    FUTURE_REVISION,
    damage,
    fingerprint,
    from_a_newer_backroom,
)
from tests.integration.test_auto_backups import book, references


def backup_of(db_path, tmp_path, capsys) -> object:
    target = tmp_path / "usb" / "tonight.sqlite3"
    target.parent.mkdir(exist_ok=True)
    assert main(["--db", str(db_path), "db", "backup", str(target)]) == 0
    capsys.readouterr()
    return target


def test_a_restore_puts_the_backups_night_back_and_keeps_the_current_file_aside(
    desk, reception, db_path, tmp_path, capsys
):
    first = book(desk, reception, "Ava Wood", "0113 496 0001")
    backup = backup_of(db_path, tmp_path, capsys)
    later = book(desk, reception, "Ben Hall", "0113 496 0002")

    code = main(["--db", str(db_path), "db", "restore", str(backup)])

    said = capsys.readouterr().out
    assert code == 0 and "(1 booking)" in said
    assert references(db_path) == [first.reference]
    [aside] = tmp_path.glob("desk-before-restore-*.sqlite3")
    assert f"kept as {aside}" in said
    assert references(aside) == sorted([first.reference, later.reference])


def test_a_desk_that_is_open_sees_the_restored_night(desk, reception, db_path, tmp_path, capsys):
    first = book(desk, reception, "Ava Wood", "0113 496 0001")
    backup = backup_of(db_path, tmp_path, capsys)
    book(desk, reception, "Ben Hall", "0113 496 0002")

    assert main(["--db", str(db_path), "db", "restore", str(backup)]) == 0

    night = desk.queries.bookings_on(desk.queries.tonight())
    assert [v.booking.reference for v in night] == [first.reference]


def test_a_damaged_backup_is_refused_and_the_desk_is_untouched(store, db_path, tmp_path, capsys):
    backup = backup_of(db_path, tmp_path, capsys)
    damage(backup)
    before = fingerprint(db_path)

    code = main(["--db", str(db_path), "db", "restore", str(backup)])

    said = capsys.readouterr().err
    assert code == 3 and f"The backup {backup} is damaged" in said and "nothing was changed" in said
    assert fingerprint(db_path) == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_a_backup_from_a_newer_backroom_is_refused_and_the_desk_is_untouched(
    store, db_path, tmp_path, capsys
):
    backup = backup_of(db_path, tmp_path, capsys)
    from_a_newer_backroom(backup)
    before = fingerprint(db_path)

    code = main(["--db", str(db_path), "db", "restore", str(backup)])

    said = capsys.readouterr().err
    assert code == 3 and f"written by a newer Backroom (schema {FUTURE_REVISION}" in said
    assert fingerprint(db_path) == before


def test_a_file_that_is_not_a_desk_or_not_there_is_refused(store, db_path, tmp_path, capsys):
    notes = tmp_path / "notes.sqlite3"
    with sqlite3.connect(notes) as conn:
        conn.execute("CREATE TABLE shopping (item TEXT)")

    other = main(["--db", str(db_path), "db", "restore", str(notes)])
    missing = main(["--db", str(db_path), "db", "restore", str(tmp_path / "nope.sqlite3")])
    own = main(["--db", str(db_path), "db", "restore", str(db_path)])

    said = capsys.readouterr().err
    assert other == 3 and "is not a Backroom desk database" in said
    assert missing == 3 and "There is no backup file at" in said
    assert own == 2 and "the desk's own file, not a backup" in said


def test_a_new_computer_starts_from_the_old_ones_backup(desk, reception, db_path, tmp_path, capsys):
    booked = book(desk, reception, "Ava Wood", "0113 496 0001")
    backup = backup_of(db_path, tmp_path, capsys)
    (tmp_path / "new-pc").mkdir()
    fresh = tmp_path / "new-pc" / "desk.sqlite3"

    code = main(["--db", str(fresh), "db", "restore", str(backup)])

    assert code == 0 and references(fresh) == [booked.reference]
    assert main(["--db", str(fresh), "bookings", "list", "--date", "2026-11-25"]) == 0
    assert "Ava Wood" in capsys.readouterr().out


def test_a_damaged_desk_file_is_replaced_and_kept_aside_as_it_was(
    store, desk, reception, db_path, tmp_path, capsys
):
    first = book(desk, reception, "Ava Wood", "0113 496 0001")
    backup = backup_of(db_path, tmp_path, capsys)
    store.close()
    damage(db_path)
    damaged = fingerprint(db_path)

    code = main(["--db", str(db_path), "db", "restore", str(backup)])

    assert code == 0, capsys.readouterr().err
    assert references(db_path) == [first.reference]
    [aside] = tmp_path.glob("desk-before-restore-*.sqlite3")
    assert fingerprint(aside) == damaged


def test_the_automatic_backups_are_listed_newest_first(
    store, db_path, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("BACKROOM_BACKUP_DIR", str(tmp_path / "auto"))
    (tmp_path / "auto").mkdir()
    for stamp in ("20261124T230000Z", "20261125T210000Z"):
        shutil.copyfile(db_path, tmp_path / "auto" / f"desk-{stamp}.sqlite3")

    assert main(["--db", str(db_path), "db", "backups"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Wed 25 Nov 2026 21:00") and lines[1].startswith(
        "Tue 24 Nov 2026 23:00"
    )
