"""The simulator's waitlist property (tests/sim/waitlist.py) notices what it is for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.sim.waitlist import offer_problems

NINE = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
BEN, DEE = "b0000000-0000-4000-8000-000000000001", "d0000000-0000-4000-8000-000000000002"
SEVEN, EIGHT = "70000000-0000-4000-8000-000000000007", "80000000-0000-4000-8000-000000000008"


def offer(guest: str, table: str, until: datetime | None = None) -> dict:
    return {
        "id": f"{table}:{guest}",
        "booking_id": guest,
        "table_ids": {table},
        "start": NINE,
        "until": until,
    }


def waiting(*guests: str) -> dict:
    return {g: {"id": g, "status": "waitlisted", "table_ids": []} for g in guests}


def test_one_offer_each_of_free_tables_to_waiting_guests_passes():
    offers = {"Reception": [offer(BEN, SEVEN)], "Bar": [offer(DEE, EIGHT)]}

    assert offer_problems(offers, waiting(BEN, DEE)) == []


def test_a_guest_offered_tables_on_two_desks_is_reported():
    offers = {"Reception": [offer(BEN, SEVEN)], "Bar": [offer(BEN, EIGHT)]}

    assert offer_problems(offers, waiting(BEN)) == [
        "guest b0000000 holds two offers at once (Reception, Bar)"
    ]


def test_one_table_offered_to_two_guests_at_once_is_reported_but_not_one_after_the_other():
    at_once = {"Reception": [offer(BEN, SEVEN)], "Bar": [offer(DEE, SEVEN)]}
    later = {
        "Reception": [offer(BEN, SEVEN, NINE + timedelta(hours=1))],
        "Bar": [{**offer(DEE, SEVEN), "start": NINE + timedelta(hours=1)}],
    }

    assert offer_problems(at_once, waiting(BEN, DEE)) == [
        "Reception and Bar offer table 70000000 to two guests at once"
    ]
    assert offer_problems(later, waiting(BEN, DEE)) == []


def test_an_offer_to_a_guest_not_waiting_or_of_a_booked_table_is_reported():
    booked = {
        "id": "a0000000-0000-4000-8000-00000000000a",
        "status": "confirmed",
        "table_ids": [SEVEN],
        "start": NINE + timedelta(minutes=30),
        "duration_minutes": 90,
    }
    bookings = {
        **waiting(DEE),
        BEN: {**booked, "id": BEN, "status": "seated", "table_ids": []},
        booked["id"]: booked,
    }

    assert offer_problems({"Bar": [offer(BEN, EIGHT), offer(DEE, SEVEN)]}, bookings) == [
        "Bar offers a table to b0000000, not waiting",
        "Bar offers table 70000000 that booking a0000000 holds",
    ]


def test_an_offer_of_a_table_that_does_not_seat_the_party_is_reported_but_a_join_that_does_is_not():
    floor = {
        "tables": {
            SEVEN: {"active": True, "min_covers": 2, "max_covers": 4},
            EIGHT: {"active": True, "min_covers": 2, "max_covers": 4},
        },
        "combinations": {
            "j": {"active": True, "table_ids": [EIGHT, SEVEN], "min_party": 5, "max_party": 8}
        },
    }
    six = {BEN: {"id": BEN, "status": "waitlisted", "table_ids": [], "party_size": 6}}
    joined = {**offer(BEN, SEVEN), "table_ids": {SEVEN, EIGHT}}

    assert offer_problems({"Bar": [offer(BEN, SEVEN)]}, six, floor) == [
        "Bar offers table 70000000 to a party of 6 it does not seat"
    ]
    assert offer_problems({"Bar": [joined]}, six, floor) == []
