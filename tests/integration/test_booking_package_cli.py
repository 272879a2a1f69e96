"""Packages at the command line: `backroom book --package`, `booking edit --package`, listed
by `bookings --json`; a package the venue does not sell is refused and nothing is booked."""

from __future__ import annotations

import json
from datetime import time

from app.cli import main
from app.domain.references import format_reference


def cli(db_path, capsys, at, *args):
    code = main(["--db", str(db_path), *args], clock=lambda: at)
    out = capsys.readouterr()
    return code, out.out, out.err


def book(desk, db_path, capsys, party, *extra):
    """`backroom book` for Ava at 20:00 tonight, run at 15:00."""
    venue = desk.queries.venue().venue
    at = venue.wall_time_on(desk.queries.tonight(), time(15, 0))
    night = f"{desk.queries.tonight():%Y-%m-%d}"
    return at, cli(
        db_path, capsys, at, "book", "--name", "Ava Wood", "--phone", "0113 496 0001",
        "--party", str(party), "--at", f"{night} 20:00", "--package", "prosecco", *extra,
    )  # fmt: skip


def test_a_party_is_booked_with_a_package_changed_to_another_and_listed_with_its_price(
    desk, db_path, capsys
):
    at, booked = book(desk, db_path, capsys, 6, "--json")
    made = json.loads(booked[1])
    ref = format_reference(made["reference"])

    changed = cli(db_path, capsys, at, "booking", "edit", ref, "--package", "booth-bottles")
    listed = cli(db_path, capsys, at, "bookings", "--json")
    said = cli(db_path, capsys, at, "bookings")[1]

    assert booked[0] == 0
    assert (made["package_id"], made["package_pence"]) == ("prosecco", 15_000)
    assert "Prosecco package for 6, £150.00." in made["message"]
    assert changed[0] == 0, changed
    [row] = json.loads(listed[1])
    assert (row["package_id"], row["package_pence"]) == ("booth-bottles", 18_000)
    assert said.rstrip().endswith("Ava Wood  ◆ Booth bottle service for 6, £180.00")


def test_a_package_the_venue_does_not_sell_is_refused_in_words_and_nothing_is_booked(
    desk, db_path, capsys
):
    _, refused = book(desk, db_path, capsys, 2)

    assert refused[0] == 2
    assert "The Prosecco package is for parties of 4–12; this party is 2." in refused[2]
    assert desk.queries.bookings_on(desk.queries.tonight()) == []
