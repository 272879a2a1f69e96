import sqlite3
from datetime import time

from app.cli import main
from app.services.booking_create import NewBooking


def test_a_backup_taken_while_the_desk_runs_holds_every_booking(
    desk, reception, db_path, tmp_path, capsys
):
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(20, 0))
    booked = desk.create.create_booking(
        reception, NewBooking(name="Ava Wood", phone="0113 496 0001", party_size=4, start=start)
    ).booking
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
