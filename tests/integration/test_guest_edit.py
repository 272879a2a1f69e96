"""Staff correct a guest's name, phone or email: saved, journaled for the server, audited."""

import json
import sqlite3

import pytest

from app.domain.errors import InvalidFields, InvalidInput
from tests.integration.conftest import counts
from tests.integration.test_use_cases import last_audit, last_intent, party


def guest_of(desk, reception):
    return desk.create.create_booking(reception, party(desk)).customer


def test_a_guest_s_new_name_phone_and_email_are_saved_and_journaled(desk, reception, db_path):
    guest = guest_of(desk, reception)

    result = desk.guests.update(
        reception, guest.id, name="  Ava  Woods ", phone="0113 496 0777", email="Ava@Example.com"
    )

    assert result.message == "Updated Ava Woods's name, phone and email."
    with desk.store.unit_of_work() as uow:
        saved = uow.customers.get(guest.id)
    assert (saved.name, saved.phone, saved.email) == (
        "Ava Woods",
        "+441134960777",
        "Ava@example.com",
    )
    name, args = last_intent(db_path)
    assert name == "upsert_customer"
    assert (args["id"], args["name"], args["phone"]) == (guest.id, "Ava Woods", "+441134960777")
    with sqlite3.connect(db_path) as conn:
        body = json.loads(
            conn.execute("SELECT body FROM outbox ORDER BY device_seq DESC").fetchone()[0]
        )
    assert body["base_version"] == 0 and body["previous"] == {"notes": ""}
    action, was, now = last_audit(db_path)
    assert (action, was["name"], now["name"]) == ("upsert_customer", "Ava Wood", "Ava Woods")


def test_every_bad_guest_field_is_named_at_once_and_nothing_is_written(desk, reception, db_path):
    guest = guest_of(desk, reception)
    before = counts(db_path)

    with pytest.raises(InvalidFields) as refused:
        desk.guests.update(reception, guest.id, name="  ", phone="12", email="not an email")

    assert set(refused.value.errors) == {"name", "phone", "email"}
    assert "'12' is not" in refused.value.errors["phone"]
    assert counts(db_path) == before


def test_a_booker_s_phone_cannot_be_blanked(desk, reception):
    guest = guest_of(desk, reception)

    with pytest.raises(InvalidFields, match="Enter a phone number"):
        desk.guests.update(reception, guest.id, phone="   ")


def test_an_email_typed_blank_is_removed(desk, reception):
    guest = guest_of(desk, reception)
    desk.guests.update(reception, guest.id, email="ava@example.com")

    result = desk.guests.update(reception, guest.id, email="")

    assert result.customer.email is None and result.changed == ("email",)


def test_saving_the_same_details_says_nothing_changed_and_writes_nothing(desk, reception, db_path):
    guest = guest_of(desk, reception)
    before = counts(db_path)

    with pytest.raises(InvalidInput, match="Nothing was changed"):
        desk.guests.update(reception, guest.id, name="Ava Wood", phone="+44 113 496 0001")

    assert counts(db_path) == before


def test_the_guest_s_history_and_notes_are_kept(desk, reception):
    guest = guest_of(desk, reception)

    result = desk.guests.update(reception, guest.id, name="Ava Woods")

    assert result.customer.bookings_count == 1
    assert result.customer.notes == guest.notes and result.customer.vip == guest.vip
