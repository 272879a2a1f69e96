"""`backroom booking confirm|seat|complete|no-show|cancel REF`: the bookings list's buttons at
the command line, through the same use cases, refused in the kernel's words and changing
nothing then."""

from __future__ import annotations

from datetime import time, timedelta

from app.cli import main
from app.domain.booking import BookingStatus
from app.domain.references import format_reference
from app.services.booking_create import NewBooking


def booked(desk, staff):
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(20, 0))
    cmd = NewBooking(name="Ava Wood", phone="0113 496 0001", party_size=2, start=start)
    return desk.create.create_booking(staff, cmd).booking


def status(db_path, capsys, at, *args):
    code = main(["--db", str(db_path), "booking", *args], clock=lambda: at)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_no_show_waits_for_the_partys_time_then_is_marked(desk, manager, db_path, capsys):
    b = booked(desk, manager)
    ref = format_reference(b.reference)

    early = status(db_path, capsys, b.start - timedelta(hours=1), "no-show", ref)
    still = desk.queries.booking(b.id).booking.status
    late = status(db_path, capsys, b.start + timedelta(minutes=20), "no-show", ref)

    assert early[0] == 2
    assert early[2] == (
        f"error: Booking {ref} is for Wed 25 Nov, 20:00; a party can be marked a no-show only "
        "once its time has come.\n"
    )
    assert still is BookingStatus.CONFIRMED
    assert late[0] == 0 and "No-show" in late[1]
    assert desk.queries.booking(b.id).booking.status is BookingStatus.NO_SHOW


def test_a_party_is_seated_then_completed_by_reference(desk, manager, db_path, capsys):
    b = booked(desk, manager)
    ref = format_reference(b.reference).lower()

    seated = status(db_path, capsys, b.start, "seat", ref)
    done = status(db_path, capsys, b.start + timedelta(minutes=90), "complete", ref)

    assert (seated[0], done[0]) == (0, 0)
    after = desk.queries.booking(b.id).booking
    assert after.status is BookingStatus.COMPLETED
    assert after.duration_minutes == 90  # left early: the table is free after


def test_a_cancel_asks_why_first_and_then_records_it(desk, manager, db_path, capsys):
    b = booked(desk, manager)
    ref = format_reference(b.reference)
    now = b.start - timedelta(hours=3)

    unsaid = status(db_path, capsys, now, "cancel", ref)
    kept = desk.queries.booking(b.id).booking.status
    said = status(
        db_path, capsys, now, "cancel", ref, "--reason", "guest cancelled", "--note", "ill"
    )

    assert unsaid[0] == 2 and "Say why: --reason 'guest cancelled'" in unsaid[2]
    assert kept is BookingStatus.CONFIRMED
    assert said == (0, "Cancelled Ava Wood's booking (guest cancelled: ill).\n", "")
    assert desk.queries.booking(b.id).booking.status is BookingStatus.CANCELLED


def test_a_reason_given_to_anything_but_a_cancel_is_refused_and_nothing_changes(
    desk, manager, db_path, capsys
):
    b = booked(desk, manager)
    ref = format_reference(b.reference)

    code, _, err = status(db_path, capsys, b.start, "seat", ref, "--reason", "guest cancelled")

    assert code == 2 and err == "error: --reason and --note go with cancel.\n"
    assert desk.queries.booking(b.id).booking.status is BookingStatus.CONFIRMED
