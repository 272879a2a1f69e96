"""The server sells packages from the venue's stored price list: the desk names a package,
the server prices it (a desk's stale list changes nothing), and a package the venue does
not sell is refused in the domain's words."""

from __future__ import annotations

import uuid

from app.protocol import IntentName
from tests.server.test_deposit_policy import VERSION_2, set_policy

PROSECCO = {"id": "prosecco", "name": "Prosecco package", "pence": 3000, "min_party": 4}
WITH_PACKAGES = {**VERSION_2, "packages": [PROSECCO]}


def test_a_booking_with_a_package_is_priced_from_the_servers_list_and_every_desk_pulls_it(
    server, seeded_url, tmp_path
):
    bar, office = server.desk("Bar"), server.desk("Office")
    assert set_policy(seeded_url, tmp_path, WITH_PACKAGES).returncode == 0
    create = bar.create(7, party=4, package_id="prosecco")

    made = bar.push_one(create)

    row = office.bookings()[create["entity_id"]]
    assert made["outcome"] == "applied", made
    assert (row["package_id"], row["package_pence"]) == ("prosecco", 12_000)


def test_a_package_the_venue_does_not_sell_is_refused_and_no_booking_is_made(server):
    bar = server.desk("Bar")
    create = bar.create(7, party=4, package_id="brunch")

    refused = bar.push_one(create)

    assert refused["outcome"] == "rejected"
    assert "does not sell a package called 'brunch'" in refused["reason"]
    assert create["entity_id"] not in bar.bookings()


def test_a_party_change_reprices_the_package_and_taking_it_off_clears_it(
    server, seeded_url, tmp_path
):
    bar = server.desk("Bar")
    set_policy(seeded_url, tmp_path, WITH_PACKAGES)
    create = bar.create(12, party=6, package_id="prosecco")
    seen = bar.push_one(create)["version"]
    booking_id = uuid.UUID(create["entity_id"])

    grown = bar.push_one(
        bar.intent(
            IntentName.EDIT_DETAILS,
            booking_id,
            {"party_size": 7},
            base_version=seen,
            previous={"party_size": 6},
        )
    )
    priced = bar.bookings()[str(booking_id)]["package_pence"]
    off = bar.push_one(bar.intent(IntentName.EDIT_DETAILS, booking_id, {"package_id": ""}))

    row = bar.bookings()[str(booking_id)]
    assert (grown["outcome"], off["outcome"]) == ("applied", "applied")
    assert priced == 21_000
    assert (row["package_id"], row["package_pence"]) == (None, 0)
