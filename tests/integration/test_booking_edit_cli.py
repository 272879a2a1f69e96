"""`backroom booking edit REF …`: details and times changed from the command line, through the
same use cases as the form; anything refused changes nothing."""

from __future__ import annotations

from datetime import time

from app.cli import main
from app.domain.references import format_reference
from app.services.booking_create import NewBooking
from tests.conftest import at_start


def booked(desk, staff, hh=20, party=2, tables=()):
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(hh, 0))
    cmd = NewBooking(
        name="Ava Wood",
        phone="0113 496 0001",
        party_size=party,
        start=start,
        duration_minutes=120,
        table_ids=tables,
    )
    return desk.create.create_booking(staff, cmd).booking


def edit(db_path, capsys, *args):
    code = main(["--db", str(db_path), "booking", "edit", *args], clock=at_start)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_details_change_by_reference_typed_any_way(desk, reception, db_path, capsys):
    b = booked(desk, reception)
    typed = format_reference(b.reference).lower()

    code, out, _ = edit(
        db_path, capsys, typed, "--occasion", "birthday", "--notes", "cake at 22:00"
    )

    after = desk.queries.booking(b.id).booking
    assert code == 0 and "Updated Ava Wood's booking" in out
    assert (after.occasion, after.notes) == ("birthday", "cake at 22:00")


def test_a_time_change_keeps_the_tables_or_is_refused_naming_who_is_there(
    desk, reception, db_path, capsys
):
    plan = desk.queries.venue().plan
    seven = plan.table_by_number(7).id
    mine = booked(desk, reception, hh=18, tables=(seven,))
    booked(desk, reception, hh=22, tables=(seven,))

    moved = edit(db_path, capsys, mine.reference, "--at", f"{desk.queries.tonight()} 19:00")
    refused = edit(db_path, capsys, mine.reference, "--at", f"{desk.queries.tonight()} 21:00")

    after = desk.queries.booking(mine.id)
    assert moved[0] == 0 and "Moved Ava Wood to table 7 at 19:00" in moved[1]
    assert refused[0] == 2 and "Table 7 is taken from 22:00 to 00:00 by Ava Wood (2)" in refused[2]
    assert after.tables == "7" and after.booking.start.hour == 19


def test_asking_for_nothing_both_at_once_or_an_unknown_reference_changes_nothing(
    desk, reception, db_path, capsys
):
    b = booked(desk, reception)

    nothing = edit(db_path, capsys, b.reference)
    both = edit(db_path, capsys, b.reference, "--party", "3", "--duration", "90")
    unknown = edit(db_path, capsys, "AAAA-AAAA-AAA")

    assert nothing[0] == 2 and "Say what to change" in nothing[2]
    assert both[0] == 2 and "in separate commands" in both[2]
    assert unknown[0] == 2 and "Traceback" not in unknown[2]
    assert desk.queries.booking(b.id).booking == b


def test_the_guest_s_name_phone_and_email_change_and_their_other_bookings_show_it(
    desk, reception, db_path, capsys
):
    b = booked(desk, reception, hh=18)
    other = booked(desk, reception, hh=22)

    code, out, _ = edit(
        db_path,
        capsys,
        b.reference,
        "--name",
        "Ava Woods",
        "--phone",
        "0113 496 0777",
        "--email",
        "ava@example.com",
    )

    guest = desk.queries.booking(other.id).customer
    assert code == 0 and "Updated Ava Woods's name, phone and email." in out
    assert (guest.name, guest.phone, guest.email) == (
        "Ava Woods",
        "+441134960777",
        "ava@example.com",
    )


def test_bad_guest_fields_are_all_named_and_nothing_changes(desk, reception, db_path, capsys):
    b = booked(desk, reception)

    code, _, err = edit(db_path, capsys, b.reference, "--phone", "12", "--email", "nope")
    mixed = edit(db_path, capsys, b.reference, "--name", "Ava Woods", "--party", "3")

    guest = desk.queries.booking(b.id).customer
    assert code == 2 and "'12' is not" in err and "'nope' is not an email" in err
    assert "Traceback" not in err
    assert mixed[0] == 2 and "in separate commands" in mixed[2]
    assert (guest.name, guest.phone, guest.email) == ("Ava Wood", "+441134960001", None)
