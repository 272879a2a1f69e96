from datetime import UTC, datetime
from itertools import product

import pytest

from app.domain.booking import TRANSITIONS, Booking, BookingStatus
from app.domain.errors import IllegalTransition, InvalidInput
from tests.unit.bookings import a_booking

S = BookingStatus
NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
LEGAL = {
    (S.PENDING, S.CONFIRMED),
    (S.CONFIRMED, S.SEATED),
    (S.SEATED, S.COMPLETED),
    (S.PENDING, S.CANCELLED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CONFIRMED, S.NO_SHOW),
    (S.WAITLISTED, S.PENDING),
    (S.WAITLISTED, S.CONFIRMED),
    (S.WAITLISTED, S.CANCELLED),
    # sync's conflict state and its resolutions
    (S.PENDING, S.CONFLICT),
    (S.CONFIRMED, S.CONFLICT),
    (S.CONFLICT, S.PENDING),
    (S.CONFLICT, S.CONFIRMED),
    (S.CONFLICT, S.SEATED),
    (S.CONFLICT, S.WAITLISTED),
    (S.CONFLICT, S.CANCELLED),
}


def booking(status: BookingStatus) -> Booking:
    return a_booking(NOW, status)


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_every_move_of_the_status_machine_is_allowed(current, target):
    moved = booking(current).moved_to(target, NOW)

    assert moved.status is target


@pytest.mark.parametrize(
    ("current", "target"),
    [pair for pair in product(S, S) if pair not in LEGAL],
)
def test_every_other_move_is_refused_with_an_error_naming_it(current, target):
    with pytest.raises(IllegalTransition) as refused:
        booking(current).moved_to(target, NOW)

    assert f"from {current.value} to {target.value}" in str(refused.value)


def test_the_table_of_transitions_is_exactly_the_documented_machine():
    declared = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}

    assert declared == LEGAL


def test_a_booking_sent_to_the_waitlist_gives_up_its_tables():
    conflicted = booking(S.CONFLICT)

    waiting = conflicted.moved_to(S.WAITLISTED, NOW)

    assert waiting.table_ids == () and not waiting.holds_tables


def test_a_party_of_zero_cannot_exist():
    with pytest.raises(InvalidInput):
        Booking(
            id="b",
            venue_id="v",
            reference="R",
            customer_id="c",
            party_size=0,
            start=NOW,
            duration_minutes=60,
            status=S.PENDING,
            created_at=NOW,
            updated_at=NOW,
        )
