"""A new booking whose id or reference is taken is refused, and nothing of it is kept."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.server.harness import EVENING


def customers_named(server, name):
    with server.app.state.sessions() as session:
        return session.execute(
            text("SELECT count(*) FROM customers WHERE name = :n"), {"n": name}
        ).scalar_one()


def test_a_booking_id_already_on_the_server_is_refused_and_its_new_guest_is_not_kept(server):
    desk = server.desk()
    first = desk.create(7, party=4)
    desk.push_one(first)
    again = desk.create(8, party=2, start=EVENING, booking_id=uuid.UUID(first["entity_id"]))
    again["args"]["customer"] = {"id": str(uuid.uuid4()), "name": "Grace Hopper", "phone": ""}

    outcome = desk.push_one(again)

    assert outcome["outcome"] == "rejected"
    assert "already exists on the server" in outcome["reason"]
    assert customers_named(server, "Grace Hopper") == 0
    assert len(desk.bookings()) == 1


def test_a_reference_another_booking_uses_is_refused_and_takes_no_table(server):
    desk = server.desk()
    first = desk.create(7, party=4)
    desk.push_one(first)
    second = desk.create(8, party=2)
    second["args"]["reference"] = first["args"]["reference"]

    outcome = desk.push_one(second)

    assert outcome["outcome"] == "rejected"
    assert f"Reference {first['args']['reference']} is already used" in outcome["reason"]
    assert list(desk.bookings()) == [first["entity_id"]]


def test_a_create_clashing_on_one_bookings_id_and_anothers_reference_is_refused_by_its_id(server):
    desk = server.desk()
    second = desk.create(8, party=2)
    desk.push_one(second)  # the reference's row first: found first, it must not be named
    first = desk.create(7, party=4)
    desk.push_one(first)
    again = desk.create(9, party=2, start=EVENING, booking_id=uuid.UUID(first["entity_id"]))
    again["args"]["reference"] = second["args"]["reference"]

    outcome = desk.push_one(again)

    assert outcome["outcome"] == "rejected"
    assert f"A booking with id {first['entity_id']} already exists" in outcome["reason"]
    assert sorted(desk.bookings()) == sorted([first["entity_id"], second["entity_id"]])


def test_an_intent_refused_after_its_first_write_still_advances_the_desk_and_its_audit(server):
    desk = server.desk()
    first = desk.create(7, party=4)
    desk.push_one(first)
    clash = desk.create(8, party=2)
    clash["args"]["reference"] = first["args"]["reference"]
    refused = desk.push_one(clash)
    after = desk.create(8, party=2)

    outcome = desk.push_one(after)

    assert refused["outcome"] == "rejected"
    assert outcome["outcome"] == "applied", outcome["reason"]
    with server.app.state.sessions() as session:
        stored = session.execute(
            text("SELECT count(*) FROM audit_events WHERE device_id = :d"), {"d": desk.device_id}
        ).scalar_one()
    assert stored == 3


def test_reception_cannot_make_a_new_guest_a_vip_through_a_booking(server):
    desk = server.desk()  # reception's desk
    intent = desk.create(7, party=4)
    intent["args"]["customer"]["vip"] = True

    outcome = desk.push_one(intent)

    assert outcome["outcome"] == "rejected"
    assert "may not flag a VIP" in outcome["reason"]
    assert desk.bookings() == {}


def test_an_old_desk_saying_its_deposit_was_paid_is_priced_by_the_venue_all_the_same(server):
    desk = server.desk()
    intent = desk.create(12, party=8)  # 8 on a Tuesday: a £10 a head deposit by policy
    intent["schema_version"] = 1
    intent["args"] |= {"deposit_state": "paid", "deposit_pence": 0, "combined": False}

    outcome = desk.push_one(intent)
    booking = desk.bookings()[intent["entity_id"]]

    assert outcome["outcome"] == "applied"
    assert (booking["status"], booking["deposit_state"], booking["deposit_pence"]) == (
        "pending",
        "required",
        8000,
    )


def test_a_desk_of_this_schema_cannot_say_what_deposit_is_due(server):
    desk = server.desk()
    intent = desk.create(12, party=8)
    intent["args"]["deposit_state"] = "waived"

    answer = desk.push(intent, expect=422)

    assert "deposit_state" in str(answer["detail"])
