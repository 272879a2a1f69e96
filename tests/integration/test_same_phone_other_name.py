"""A phone number never quietly decides whose booking it is: when it is a known guest's
under another name, staff are asked (the command line takes --guest known or new)."""

from __future__ import annotations

import json

import pytest

from app.services.booking_create import GuestChoice, SamePhoneOtherName
from tests.integration.conftest import counts
from tests.integration.test_desk_input import booking_for, cli


def test_a_known_phone_under_another_name_asks_whose_booking_it_is_and_saves_nothing(
    desk, reception, db_path
):
    desk.create.create_booking(reception, booking_for(desk, "Ada Lovelace"))

    with pytest.raises(SamePhoneOtherName) as asked:
        desk.create.create_booking(reception, booking_for(desk, "Zed Other"))

    assert str(asked.value) == (
        "0113 496 0001 is the number of Ada Lovelace, not of Zed Other. Book for "
        "Ada Lovelace, or add Zed Other as a new guest with the same number."
    )
    assert [g.name for g in asked.value.guests] == ["Ada Lovelace"]
    assert counts(db_path)["booking"] == 1 and counts(db_path)["customer"] == 1


def test_staff_can_book_the_known_guest_or_add_a_new_guest_on_the_same_phone(desk, reception):
    ada = desk.create.create_booking(reception, booking_for(desk, "Ada Lovelace")).customer

    known = desk.create.create_booking(
        reception, booking_for(desk, "Zed Other", guest=GuestChoice.KNOWN)
    ).customer
    new = desk.create.create_booking(
        reception, booking_for(desk, "Zed Other", guest=GuestChoice.NEW)
    ).customer
    again = desk.create.create_booking(reception, booking_for(desk, "zed other")).customer

    assert known.id == ada.id and known.name == "Ada Lovelace"
    assert new.id != ada.id and new.name == "Zed Other" and new.phone == ada.phone
    assert again.id == new.id


def test_the_command_line_asks_with_guest_known_or_new_and_books_once_told(
    desk, reception, db_path, capsys
):
    desk.create.create_booking(reception, booking_for(desk, "Ada Lovelace"))
    args = [
        "book",
        "--name",
        "Zed Other",
        "--phone",
        "0113 496 0001",
        "--party",
        "2",
        "--at",
        f"{desk.queries.tonight()} 21:00",
        "--json",
    ]

    asked = cli(db_path, capsys, *args)
    told = cli(db_path, capsys, *args, "--guest", "new")

    assert asked[0] == 2 and "is the number of Ada Lovelace, not of Zed Other" in asked[2]
    assert "--guest known" in asked[2] and "--guest new" in asked[2]
    assert told[0] == 0 and json.loads(told[1])["guest"] == "Zed Other"
