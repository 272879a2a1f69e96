"""Which automatic backups the desk takes and keeps (app.domain.backups)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.backups import BackupPolicy, backup_name, due, kept, taken_at
from app.domain.errors import DomainError

HOUR = timedelta(hours=1)


def test_twenty_days_of_hourly_backups_keep_the_last_day_and_one_a_day_for_the_fortnight():
    first = datetime(2026, 11, 1, 0, 30, tzinfo=UTC)  # November: London is on UTC
    taken = [first + i * HOUR for i in range(20 * 24)]

    keep = kept(taken, BackupPolicy(hourly=24, daily=14))

    last_day = {datetime(2026, 11, 20, h, 30, tzinfo=UTC) for h in range(24)}
    evenings = {datetime(2026, 11, d, 23, 30, tzinfo=UTC) for d in range(7, 20)}
    assert keep == last_day | evenings
    assert len(keep) == 37


def test_a_day_is_the_venues_calendar_day_so_half_past_midnight_in_summer_is_the_next_day():
    late = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 23:30 in London on 1 July
    after_midnight = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 in London on 2 July
    morning = datetime(2026, 7, 2, 10, 0, tzinfo=UTC)

    keep = kept([late, after_midnight, morning], BackupPolicy(hourly=1, daily=2))

    assert keep == {morning, late}


def test_fewer_backups_than_the_policy_keeps_are_all_kept():
    taken = [datetime(2026, 11, 25, h, tzinfo=UTC) for h in (9, 10, 11)]

    assert kept(taken, BackupPolicy()) == set(taken)


def test_a_backup_is_due_when_none_was_taken_an_interval_ago_or_the_clock_went_back():
    last = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    policy = BackupPolicy(every=HOUR)

    assert due(None, last, policy)
    assert not due(last, last + timedelta(minutes=59), policy)
    assert due(last, last + HOUR, policy)
    assert due(last, last - timedelta(minutes=1), policy)


def test_a_backups_name_carries_its_utc_time_and_other_files_are_not_taken_for_backups():
    at = datetime(2026, 11, 25, 21, 5, 9, tzinfo=UTC)

    name = backup_name("desk", at)

    assert name == "desk-20261125T210509Z.sqlite3"
    assert taken_at(name, "desk") == at
    assert taken_at(name, "bar") is None
    assert taken_at("desk-before-restore-20261125T210509Z.sqlite3", "desk") is None
    assert taken_at("desk-notes.txt", "desk") is None


def test_a_policy_that_would_back_up_every_minute_or_keep_nothing_is_refused():
    with pytest.raises(DomainError, match="at most every 5 minutes"):
        BackupPolicy(every=timedelta(minutes=1))
    with pytest.raises(DomainError, match="at least the newest"):
        BackupPolicy(hourly=0)
