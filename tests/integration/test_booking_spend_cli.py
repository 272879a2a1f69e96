"""`backroom booking spend REF --amount …`: what a party spent, from the till, at the command
line, through the same use case as the list's Spend…, refused in its words and changing
nothing then."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import time, timedelta

from app.cli import main
from app.domain.references import format_reference
from app.services.booking_create import NewBooking


def booked_on_4(desk, staff):
    plan = desk.queries.venue().plan
    four = plan.table_by_number(4)
    desk.floor.save_table(staff, replace(four, min_spend_pence=8_000))
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(20, 0))
    cmd = NewBooking(
        name="Ava Wood", phone="0113 496 0001", party_size=4, start=start, table_ids=(four.id,)
    )
    return desk.create.create_booking(staff, cmd).booking


def run(db_path, capsys, at, *args):
    code = main(["--db", str(db_path), "booking", *args], clock=lambda: at)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_spend_waits_for_the_party_to_sit_down_then_says_how_far_from_the_minimum(
    desk, manager, db_path, capsys
):
    b = booked_on_4(desk, manager)
    ref = format_reference(b.reference)

    early = run(db_path, capsys, b.start, "spend", ref, "--amount", "50")
    run(db_path, capsys, b.start, "seat", ref)
    spent = run(db_path, capsys, b.start + timedelta(hours=1), "spend", ref, "--amount", "£95")

    assert early[0] == 2
    assert early[2] == (
        f"error: Booking {ref} is confirmed; a spend is recorded once the party is seated.\n"
    )
    assert spent == (0, "Ava Wood: £95.00 spent of a £80.00 minimum (met).\n", "")
    assert desk.queries.booking(b.id).booking.spend_pence == 9_500
    code = main(["--db", str(db_path), "bookings", "--json"], clock=lambda: b.start)
    [listed] = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (listed["minimum_spend_pence"], listed["spend_pence"]) == (8_000, 9_500)


def test_a_spend_without_an_amount_or_with_words_changes_nothing(desk, manager, db_path, capsys):
    b = booked_on_4(desk, manager)
    ref = format_reference(b.reference)
    run(db_path, capsys, b.start, "seat", ref)
    pending = desk.queries.pending_intents()

    bare = run(db_path, capsys, b.start, "spend", ref)
    words = run(db_path, capsys, b.start, "spend", ref, "--amount", "lots")
    elsewhere = run(db_path, capsys, b.start, "seat", ref, "--amount", "10")

    assert bare == (
        2,
        "",
        "error: spend takes --amount (in pounds, e.g. 180.50), and only spend does.\n",
    )
    assert words == (2, "", "error: “lots” is not an amount in pounds, e.g. 80.00.\n")
    assert elsewhere[2] == bare[2]
    assert desk.queries.booking(b.id).booking.spend_pence is None
    assert desk.queries.pending_intents() == pending
