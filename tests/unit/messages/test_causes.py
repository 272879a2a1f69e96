from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.messages.causes import Event, Reminders, causes, reminders_after
from app.domain.messages.reminders import reminders

S, D = BookingStatus, DepositState
MADE = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SAT_21 = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)


def booking(status=S.CONFIRMED, deposit=D.NOT_REQUIRED, start=SAT_21):
    return Booking(
        id="b1",
        venue_id="v1",
        reference="7K3M9Q2X4TB",
        customer_id="c1",
        party_size=4,
        start=start,
        duration_minutes=120,
        status=status,
        created_at=MADE,
        updated_at=MADE,
        table_ids=("t1",),
        deposit_state=deposit,
        deposit_pence=2000 if deposit is not D.NOT_REQUIRED else 0,
    )


@pytest.mark.parametrize("status", [S.CONFIRMED, S.PENDING])
def test_a_booking_made_with_a_table_tells_the_guest_it_is_booked(status):
    assert causes("create_booking", None, booking(status)) == ("booking_created",)


@pytest.mark.parametrize("deposit", [D.REQUIRED, D.REQUESTED])
def test_a_booking_made_pending_a_deposit_waits_for_the_payment_link_message(deposit):
    assert causes("create_booking", None, booking(S.PENDING, deposit)) == ()
    assert causes(Event.LINK_MADE, None, booking(S.PENDING, deposit)) == ("deposit_requested",)


@pytest.mark.parametrize("status", [S.WAITLISTED, S.SEATED, S.CONFLICT, S.COMPLETED])
def test_walk_ins_the_waitlist_and_bookings_kept_in_conflict_are_not_told_at_once(status):
    assert causes("create_booking", None, booking(status)) == ()


def test_pending_to_confirmed_says_confirmed():
    assert causes("set_status", booking(S.PENDING), booking(S.CONFIRMED)) == ("booking_confirmed",)


def test_a_deposit_paid_online_says_paid_and_then_confirmed():
    before = booking(S.PENDING, D.REQUESTED)
    after = booking(S.CONFIRMED, D.PAID)

    assert causes(Event.LINK_MADE, before, after) == ("deposit_requested",)
    assert causes("webhook", before, after) == ("deposit_paid", "booking_confirmed")


def test_a_deposit_paid_at_the_bar_on_a_confirmed_booking_says_paid_only():
    assert causes(
        "record_deposit_payment", booking(deposit=D.REQUIRED), booking(deposit=D.PAID)
    ) == ("deposit_paid",)


def test_a_new_time_says_moved_and_a_new_table_alone_says_nothing():
    later = SAT_21 + timedelta(minutes=30)

    assert causes("move_booking", booking(), booking(start=later)) == ("booking_moved",)
    assert causes("move_booking", booking(), replace(booking(), table_ids=("t2",))) == ()


@pytest.mark.parametrize("was", [S.PENDING, S.CONFIRMED, S.WAITLISTED])
def test_cancelling_a_booking_the_guest_holds_says_cancelled(was):
    assert causes("cancel", booking(was), booking(S.CANCELLED)) == ("booking_cancelled",)
    assert causes(Event.LINK_EXPIRED, booking(was), booking(S.CANCELLED)) == ("booking_cancelled",)


def test_a_cancel_of_a_cancelled_booking_says_nothing_again():
    assert causes("cancel", booking(S.CANCELLED), booking(S.CANCELLED)) == ()


@pytest.mark.parametrize("now", [S.SEATED, S.NO_SHOW, S.CONFLICT])
def test_seating_a_no_show_or_a_conflict_tells_the_guest_nothing(now):
    assert causes("set_status", booking(), booking(now)) == ()


def test_off_the_waitlist_onto_a_table_says_booked():
    assert causes("resolve_conflict", booking(S.WAITLISTED), booking(S.CONFIRMED)) == (
        "booking_created",
    )


def test_a_refund_and_a_resend_are_said_by_their_event():
    paid = booking(S.CONFIRMED, D.PAID)
    refunded = booking(S.CONFIRMED, D.REFUNDED)

    assert causes(Event.REFUNDED, paid, refunded) == ("deposit_refunded",)
    assert causes(Event.REFUNDED, refunded, refunded) == ("deposit_refunded",)
    assert causes(Event.LINK_RESENT, booking(S.PENDING, D.REQUESTED), None) == ()
    pending = booking(S.PENDING, D.REQUESTED)
    assert causes(Event.LINK_RESENT, pending, pending) == ("deposit_requested",)


def test_a_link_for_a_cancelled_booking_is_not_sent():
    gone = booking(S.CANCELLED, D.REQUESTED)

    assert causes(Event.LINK_MADE, gone, gone) == ()


def test_edits_that_change_nothing_the_guest_sees_say_nothing():
    assert causes("edit_details", booking(), replace(booking(), party_size=5, notes="x")) == ()


def test_reminders_are_scheduled_for_a_booking_made_moved_resized_or_taken_off_the_waitlist():
    assert reminders_after(None, booking()) is Reminders.SCHEDULE
    assert reminders_after(None, booking(S.PENDING, D.REQUIRED)) is Reminders.SCHEDULE
    moved = booking(start=SAT_21 + timedelta(hours=1))
    assert reminders_after(booking(), moved) is Reminders.SCHEDULE
    assert reminders_after(booking(), replace(booking(), party_size=6)) is Reminders.SCHEDULE
    assert reminders_after(booking(S.WAITLISTED), booking()) is Reminders.SCHEDULE


def test_reminders_stay_as_they_are_when_neither_the_time_nor_the_party_changes():
    assert reminders_after(booking(S.PENDING), booking(S.CONFIRMED)) is None
    assert reminders_after(booking(), replace(booking(), notes="cake")) is None
    assert reminders_after(None, booking(S.WAITLISTED)) is None


@pytest.mark.parametrize(
    "change",
    [
        {"start": SAT_21 + timedelta(minutes=30)},
        {"party_size": 6},
        {"duration_minutes": 90},
        {"notes": "cake"},
        {"table_ids": ("t2",)},
    ],
)
def test_a_change_reschedules_reminders_exactly_when_the_reminders_would_say_something_new(
    change,
):
    # The key and the rescheduling must agree on what a reminder says: rescheduled under an
    # unchanged key, the new reminder would be taken for the old one and never queued.
    before = booking()
    after = replace(before, **change)

    def keys(b):
        return {r.cause for r in reminders(b.id, b.start, b.party_size, MADE)}

    rescheduled = reminders_after(before, after) is Reminders.SCHEDULE
    assert rescheduled == (keys(before) != keys(after))
    assert rescheduled == ("start" in change or "party_size" in change)


@pytest.mark.parametrize("now", [S.CANCELLED, S.NO_SHOW, S.SEATED, S.CONFLICT, S.WAITLISTED])
def test_reminders_are_cancelled_when_the_guest_is_no_longer_coming(now):
    assert reminders_after(booking(), booking(now)) is Reminders.CANCEL


def test_a_cancel_undone_tells_the_guest_the_booking_stands_again_and_reminds_them():
    assert causes("undo_cancel", booking(S.CANCELLED), booking()) == ("booking_created",)
    assert reminders_after(booking(S.CANCELLED), booking()) is Reminders.SCHEDULE


def test_a_booking_whose_time_has_come_is_told_nothing_but_a_refund():
    # Made offline and pushed at 21:10 for 21:00, or a night uploaded by a desk
    # connecting late: the guest is there (or not coming); a text now says nothing.
    late = SAT_21 + timedelta(minutes=10)
    early = SAT_21 - timedelta(hours=2)

    assert causes("create_booking", None, booking(), now=late) == ()
    assert causes("cancel", booking(), booking(S.CANCELLED), now=late) == ()
    assert causes("create_booking", None, booking(), now=early) == ("booking_created",)
    assert causes(Event.REFUNDED, booking(), booking(), now=late) == ("deposit_refunded",)
