"""What staff type at the desk: names that cannot ring bells or reorder the screen, and
text that fits."""

from __future__ import annotations

import re
import sqlite3
from datetime import time

import pytest

from app.cli import main
from app.services.booking_create import NewBooking
from tests.conftest import at_start
from tests.integration.conftest import counts


def tonight(desk, hh=20):
    return desk.queries.venue().venue.wall_time_on(desk.queries.tonight(), time(hh, 0))


def booking_for(desk, name, phone="0113 496 0001", **kw):
    return NewBooking(name=name, phone=phone, party_size=2, start=tonight(desk), **kw)


def cli(db_path, capsys, *args):
    code = main(["--db", str(db_path), *args], clock=at_start)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_control_characters_and_bidi_overrides_never_reach_a_guests_name(desk, reception):
    typed = "Ada\x07 \x1b[31mLove\u202elace\u2066"

    result = desk.create.create_booking(reception, booking_for(desk, typed))

    assert result.customer.name == "Ada [31mLovelace"


def test_notes_keep_their_line_breaks_but_lose_control_characters(desk, reception):
    notes = "Birthday cake at 22:00\r\nAsk for\x1b Jo\u202e"

    booking = desk.create.create_booking(reception, booking_for(desk, "Ada", notes=notes)).booking

    assert booking.notes == "Birthday cake at 22:00\nAsk for Jo"


def test_a_name_stored_with_control_characters_is_shown_neutralised_by_bookings_list(
    desk, reception, db_path, capsys
):
    booked = desk.create.create_booking(reception, booking_for(desk, "Ada Lovelace")).booking
    with desk.store.unit_of_work() as uow:  # as an older desk or another system stored it
        uow.session.connection().exec_driver_sql(
            "UPDATE customer SET name = ? WHERE id = ?",
            ("Eve\x1b[2J\u202eecilA", booked.customer_id),
        )
        uow.commit()

    code, out, _ = cli(db_path, capsys, "bookings", "list", "--date", str(desk.queries.tonight()))

    assert code == 0 and "Eve␛[2JecilA" in out
    assert "\x1b" not in out and "\u202e" not in out


def test_an_occasion_over_200_characters_is_refused_in_plain_words_by_the_command_line(
    desk, db_path, capsys
):
    code, _, err = cli(
        db_path,
        capsys,
        "book",
        "--name",
        "Ada",
        "--phone",
        "0113 496 0001",
        "--party",
        "2",
        "--at",
        f"{desk.queries.tonight()} 20:00",
        "--occasion",
        "x" * 201,
    )

    assert code == 2
    assert err == "error: occasion: An occasion can be at most 200 characters; this is 201.\n"
    assert counts(db_path)["booking"] == 0


def test_booking_without_staff_on_a_desk_with_no_manager_asks_who_instead_of_crashing(
    store, db_path, capsys
):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE staff SET role = 'reception'")
    before = counts(db_path)["booking"]

    code, _, err = cli(
        db_path,
        capsys,
        *("book", "--name", "Ava Wood", "--phone", "0113 496 0001", "--party", "2"),
        *("--at", "2026-11-25 20:00"),
    )

    assert code == 2 and "has no manager; name who is booking: --staff USERNAME" in err
    assert "Traceback" not in err and counts(db_path)["booking"] == before


def test_the_command_line_shows_a_reference_in_the_groups_staff_read_out(desk, db_path, capsys):
    tonight = str(desk.queries.tonight())
    book = ("book", "--name", "Ava Wood", "--phone", "0113 496 0001", "--party", "2")

    code, out, _ = cli(db_path, capsys, *book, "--at", f"{tonight} 20:00")
    listed = cli(db_path, capsys, "bookings", "list", "--date", tonight)[1]

    reference = out.split()[0]
    assert code == 0 and re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}", reference)
    assert f"20:00  {reference}   2  confirmed" in listed


def test_a_mistyped_date_or_party_is_answered_in_plain_words_and_books_nothing(
    desk, db_path, capsys
):
    book = ("book", "--name", "Ava Wood", "--phone", "0113 496 0001", "--at", "2026-11-25 20:00")

    with pytest.raises(SystemExit) as party:
        cli(db_path, capsys, *book, "--party", "four")
    said_party = capsys.readouterr().err
    with pytest.raises(SystemExit) as day:
        cli(db_path, capsys, "bookings", "--date", "2026-13-01")
    said_day = capsys.readouterr().err

    assert party.value.code == 2 and said_party.endswith(
        "error: argument --party: 'four' is not a whole number, like 4\n"
    )
    assert day.value.code == 2 and said_day.endswith(
        "error: argument --date: '2026-13-01' is not a date like 2026-11-28 (year-month-day)\n"
    )
    assert counts(db_path)["booking"] == 0
