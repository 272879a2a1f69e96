"""The desk's automatic backups (app.services.backups): taken whole, rotated by the policy,
and never at the cost of an older good copy."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta

import pytest

from app.domain.backups import BackupPolicy
from app.domain.errors import DomainError
from app.services.backups import AutoBackups
from app.services.booking_create import NewBooking
from tests.integration.file_faults import damage


def book(desk, staff, name: str, phone: str):
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(20, 0))
    new = NewBooking(name=name, phone=phone, party_size=2, start=start)
    return desk.create.create_booking(staff, new).booking


def references(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT reference FROM booking"))


def test_an_automatic_backup_is_a_whole_copy_named_by_when_it_was_taken(
    desk, reception, db_path, tmp_path, clock
):
    booked = book(desk, reception, "Ava Wood", "0113 496 0001")
    auto = AutoBackups(db_path, tmp_path / "backups", BackupPolicy(), clock)

    taken = auto.take()

    assert taken.path.name == "desk-20261125T150000Z.sqlite3"
    assert references(taken.path) == [booked.reference]
    assert not auto.due()
    clock.advance(hours=1)
    assert auto.due()


def test_three_days_of_hourly_backups_leave_what_the_policy_keeps(store, db_path, tmp_path, clock):
    clock.now = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    auto = AutoBackups(db_path, tmp_path / "b", BackupPolicy(hourly=3, daily=2), clock)

    for _ in range(72):
        auto.take()
        clock.advance(hours=1)

    names = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert names == [
        "desk-20261124T230000Z.sqlite3",  # the newest of the day before
        "desk-20261125T210000Z.sqlite3",
        "desk-20261125T220000Z.sqlite3",
        "desk-20261125T230000Z.sqlite3",
    ]


def test_a_backup_that_fails_deletes_no_older_copy(store, db_path, tmp_path, clock):
    auto = AutoBackups(db_path, tmp_path / "b", BackupPolicy(hourly=1, daily=0), clock)
    good = auto.take()
    store.close()
    damage(db_path)
    clock.advance(hours=1)

    with pytest.raises(DomainError, match="is damaged, so no backup was written"):
        auto.take()

    assert [p.name for p in (tmp_path / "b").iterdir()] == [good.path.name]


def test_the_folder_and_interval_come_from_the_environment_and_bad_values_are_refused(
    db_path, tmp_path, monkeypatch
):
    monkeypatch.setenv("BACKROOM_BACKUP_DIR", str(tmp_path / "usb"))
    monkeypatch.setenv("BACKROOM_BACKUP_HOURS", "6")
    auto = AutoBackups.for_desk(db_path)
    assert auto.folder == tmp_path / "usb"
    assert auto.policy.every == timedelta(hours=6)

    monkeypatch.setenv("BACKROOM_BACKUP_HOURS", "often")
    with pytest.raises(DomainError, match="must be a number of hours, not 'often'"):
        AutoBackups.for_desk(db_path)


def test_other_files_in_the_backup_folder_are_never_deleted(store, db_path, tmp_path, clock):
    folder = tmp_path / "b"
    folder.mkdir()
    mine = [folder / "notes.txt", folder / "desk-before-restore-20260101T000000Z.sqlite3"]
    for path in mine:
        path.write_text("keep me")
    auto = AutoBackups(db_path, folder, BackupPolicy(hourly=1, daily=0), clock)

    for _ in range(3):
        auto.take()
        clock.advance(hours=2)

    assert all(p.read_text() == "keep me" for p in mine)
    assert len(list(folder.iterdir())) == 3
