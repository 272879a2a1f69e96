"""The server judges a party's recorded spend with the desk's meaning: once seated, any
member of staff, the latest recorded winning; refused in words and changing nothing else."""

from __future__ import annotations

import uuid

from app.domain.permissions import Role
from app.protocol import IntentName


def seated(desk, table=7, party=4):
    create = desk.create(table, party=party)
    booking_id = uuid.UUID(create["entity_id"])
    desk.push_one(create)
    desk.push_one(desk.intent(IntentName.SET_STATUS, booking_id, {"status": "seated"}))
    return booking_id


def spend(desk, booking_id, pence, **extra):
    return desk.push_one(
        desk.intent(IntentName.RECORD_SPEND, booking_id, {"spend_pence": pence}, **extra)
    )


def test_reception_records_a_seated_partys_spend_and_every_desk_pulls_it(server):
    bar = server.desk("Bar", role=Role.RECEPTION)
    office = server.desk("Office", role=Role.MANAGER)
    booking_id = seated(bar)

    recorded = spend(bar, booking_id, 18_050)

    row = office.bookings()[str(booking_id)]
    assert recorded["outcome"] == "applied"
    assert (row["spend_pence"], row["status"]) == (18_050, "seated")


def test_a_spend_for_a_party_not_yet_seated_is_refused_in_the_desks_words(server):
    bar = server.desk("Bar", role=Role.RECEPTION)
    create = bar.create(7, party=4)
    booking_id = uuid.UUID(create["entity_id"])
    bar.push_one(create)

    refused = spend(bar, booking_id, 5_000)

    assert refused["outcome"] == "rejected"
    assert refused["reason"].endswith("is confirmed; a spend is recorded once the party is seated.")
    assert bar.bookings()[str(booking_id)]["spend_pence"] is None


def test_a_negative_spend_is_refused_by_the_domain_not_a_database_error(server):
    bar = server.desk("Bar", role=Role.RECEPTION)
    booking_id = seated(bar)

    refused = spend(bar, booking_id, -100)

    assert refused["outcome"] == "rejected"
    assert refused["reason"] == "A spend is £0–£100,000."


def test_two_desks_recording_from_one_view_the_later_total_stands(
    server,
):
    bar = server.desk("Bar", role=Role.RECEPTION)
    office = server.desk("Office", role=Role.MANAGER)
    booking_id = seated(bar)
    seen = office.bookings()[str(booking_id)]["version"]

    first = spend(bar, booking_id, 9_000)
    later = spend(office, booking_id, 14_000, base_version=seen, previous={"spend_pence": None})

    assert first["outcome"] == "applied"
    # A till's total only grows: the later one is kept, not a conflict to settle.
    assert later["outcome"] == "merged"
    assert bar.bookings()[str(booking_id)]["spend_pence"] == 14_000
