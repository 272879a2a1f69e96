from datetime import UTC, datetime

import pytest

from app.domain.errors import InvalidInput
from app.domain.messages.reminders import Reminder, check_hours, reminders

SAT_21 = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)


def test_a_booking_made_days_ahead_is_reminded_a_day_and_three_hours_before():
    made = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    assert reminders("b1", SAT_21, 4, made) == [
        Reminder(
            "reminder-24h:b1:20261205T2100Z:party-4", datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
        ),
        Reminder("reminder-3h:b1:20261205T2100Z:party-4", datetime(2026, 12, 5, 18, 0, tzinfo=UTC)),
    ]


def test_a_booking_made_the_same_afternoon_gets_only_the_three_hour_reminder():
    made = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)

    assert [r.due_at.hour for r in reminders("b1", SAT_21, 4, made)] == [18]


def test_a_booking_made_two_hours_ahead_gets_no_late_reminder():
    assert reminders("b1", SAT_21, 4, datetime(2026, 12, 5, 19, 0, tzinfo=UTC)) == []


def test_a_moved_booking_has_reminders_of_its_own():
    made = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    moved = datetime(2026, 12, 5, 22, 30, tzinfo=UTC)

    before = {r.cause for r in reminders("b1", SAT_21, 4, made)}
    after = {r.cause for r in reminders("b1", moved, 4, made)}

    assert before.isdisjoint(after)


def test_a_resized_booking_has_reminders_of_its_own():
    made = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    before = {r.cause for r in reminders("b1", SAT_21, 4, made)}
    after = {r.cause for r in reminders("b1", SAT_21, 6, made)}

    assert before.isdisjoint(after)


@pytest.mark.parametrize("hours", [[0], [24, 400], "24", [2.5], [True]])
def test_a_venues_reminder_hours_out_of_range_are_refused(hours):
    with pytest.raises(InvalidInput):
        check_hours(hours)


def test_a_venues_reminder_hours_are_kept_once_each_latest_first():
    assert check_hours([3, 24, 3]) == (24, 3)
