import shutil
import sqlite3
from datetime import time

from app.cli import main
from app.services.booking_create import NewBooking
from tests.integration.file_faults import damage


def test_a_backup_taken_while_the_desk_runs_holds_every_booking(
    desk, reception, db_path, tmp_path, capsys
):
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(20, 0))
    booked = desk.create.create_booking(
        reception, NewBooking(name="Ava Wood", phone="0113 496 0001", party_size=4, start=start)
    ).booking
    (tmp_path / "backups").mkdir()
    target = tmp_path / "backups" / "tonight.sqlite3"

    code = main(["--db", str(db_path), "db", "backup", str(target)])

    assert code == 0 and "integrity ok" in capsys.readouterr().out
    with sqlite3.connect(target) as copy:
        refs = [r[0] for r in copy.execute("SELECT reference FROM booking")]
    assert refs == [booked.reference]


def test_a_backup_never_overwrites_an_existing_file(db_path, store, tmp_path, capsys):
    target = tmp_path / "exists.sqlite3"
    target.write_text("precious")

    code = main(["--db", str(db_path), "db", "backup", str(target)])

    assert code == 2 and "already exists" in capsys.readouterr().err
    assert target.read_text() == "precious"


def test_a_backup_of_a_damaged_database_leaves_nothing_and_a_retry_works_once_it_is_restored(
    store, db_path, tmp_path, capsys
):
    store.close()
    good = tmp_path / "good.sqlite3"
    shutil.copyfile(db_path, good)
    damage(db_path)
    (tmp_path / "usb").mkdir()
    target = tmp_path / "usb" / "tonight.sqlite3"

    failed = main(["--db", str(db_path), "db", "backup", str(target)])
    said = capsys.readouterr().err
    shutil.copyfile(good, db_path)
    retried = main(["--db", str(db_path), "db", "backup", str(target)])

    assert failed == 3 and "is damaged, so no backup was written" in said
    assert "Traceback" not in said
    assert retried == 0 and "integrity ok" in capsys.readouterr().out
    assert [p.name for p in target.parent.iterdir()] == ["tonight.sqlite3"]


def test_a_backup_into_a_folder_that_does_not_exist_creates_no_folder(
    store, db_path, tmp_path, capsys
):
    target = tmp_path / "nonexistent" / "dir" / "x.sqlite3"

    code = main(["--db", str(db_path), "db", "backup", str(target)])

    assert code == 2 and "does not exist; create it first" in capsys.readouterr().err
    assert not (tmp_path / "nonexistent").exists()


def test_a_backup_of_a_desk_that_is_not_there_creates_nothing(tmp_path, capsys):
    (tmp_path / "usb").mkdir()

    code = main(
        ["--db", str(tmp_path / "typo.sqlite3"), "db", "backup", str(tmp_path / "usb" / "x")]
    )

    assert code == 3 and "There is no desk database" in capsys.readouterr().err
    assert list((tmp_path / "usb").iterdir()) == [] and not (tmp_path / "typo.sqlite3").exists()
