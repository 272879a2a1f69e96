from __future__ import annotations

from tests.server.harness import TABLE


def test_a_booking_pushed_by_a_desk_is_applied_and_pulled_back(server):
    desk = server.desk()
    intent = desk.create(7, party=4)

    outcome = desk.push_one(intent)
    bookings = desk.bookings()

    assert outcome["outcome"] == "applied", outcome
    booking = bookings[intent["entity_id"]]
    assert booking["status"] == "confirmed"
    assert booking["table_ids"] == [str(TABLE[7])]
    assert booking["version"] == outcome["version"]
