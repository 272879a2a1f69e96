"""The server judges a manager's area, table and combination edits against the truth."""

from __future__ import annotations

import uuid

from app.domain.permissions import Role
from app.protocol import IntentName
from tests.server.harness import PLAN, TABLE

AREA = {a["name"]: uuid.UUID(a["id"]) for a in PLAN["areas"]}
JOIN_15_16 = uuid.UUID(PLAN["combinations"][0]["id"])


def join_args(*numbers, low=5, high=8, active=True):
    return {
        "name": " + ".join(map(str, numbers)),
        "table_ids": [str(TABLE[n]) for n in numbers],
        "min_party": low,
        "max_party": high,
        "active": active,
    }


def rows(desk, entity):
    changes, _ = desk.pull_all()
    return {c["id"]: c["data"] for c in changes if c["entity"] == entity}


def test_a_join_of_4_and_5_lets_a_party_of_7_sit_there_which_was_refused_before(server):
    office = server.desk("Office", role=Role.MANAGER)
    before = office.push_one(office.create(4, 5, party=7))

    joined = office.push_one(
        office.intent(IntentName.UPDATE_COMBINATION, uuid.uuid4(), join_args(4, 5))
    )
    after = office.push_one(office.create(4, 5, party=7))

    assert before["outcome"] == "conflict"
    assert "cannot be combined" in before["reason"]
    assert joined["outcome"] == "applied"
    assert after["outcome"] == "applied"


def test_a_join_whose_range_the_tables_cannot_seat_is_refused_and_nothing_is_stored(server):
    office = server.desk("Office", role=Role.MANAGER)
    combo_id = uuid.uuid4()

    refused = office.push_one(
        office.intent(IntentName.UPDATE_COMBINATION, combo_id, join_args(3, 4, low=5, high=8))
    )

    assert refused["outcome"] == "rejected"
    assert "Tables 3 + 4 seat 6 at most" in refused["reason"]
    assert str(combo_id) not in rows(office, "combination")


def test_an_upside_down_range_never_reaches_the_judge(server):
    office = server.desk("Office", role=Role.MANAGER)
    intent = office.intent(
        IntentName.UPDATE_COMBINATION, uuid.uuid4(), join_args(4, 5, low=6, high=5)
    )

    refused = office.push_one(intent)

    assert refused["outcome"] == "rejected"
    assert "party range must be 1 ≤ min ≤ max" in refused["reason"]


def test_an_empty_area_name_is_bad_input_refused_with_a_reason(server):
    office = server.desk("Office", role=Role.MANAGER)
    empty = office.intent(IntentName.UPDATE_AREA, uuid.uuid4(), {"name": "Terrace"})
    empty["args"]["name"] = ""

    answer = office.push(empty, expect=422)

    assert "name" in str(answer["detail"])


def test_a_blank_area_name_is_rejected_with_the_words_staff_see_on_the_desk(server):
    office = server.desk("Office", role=Role.MANAGER)

    blank = office.push_one(office.intent(IntentName.UPDATE_AREA, uuid.uuid4(), {"name": "  "}))

    assert blank["outcome"] == "rejected"
    assert blank["reason"] == "Give the area a name."


def test_a_second_join_of_the_same_tables_is_refused(server):
    office = server.desk("Office", role=Role.MANAGER)

    refused = office.push_one(
        office.intent(IntentName.UPDATE_COMBINATION, uuid.uuid4(), join_args(16, 15, high=10))
    )

    assert refused["outcome"] == "rejected"
    assert "already combine for parties of 7–12" in refused["reason"]


def test_a_join_a_booking_sits_on_is_retired_only_once_the_booking_is_cancelled(server):
    office = server.desk("Office", role=Role.MANAGER)
    nine = office.create(15, 16, party=9)
    office.push_one(nine)
    retire = join_args(15, 16, low=7, high=12, active=False)

    refused = office.push_one(office.intent(IntentName.UPDATE_COMBINATION, JOIN_15_16, retire))
    office.push_one(office.intent(IntentName.CANCEL, uuid.UUID(nine["entity_id"]), {}))
    retired = office.push_one(office.intent(IntentName.UPDATE_COMBINATION, JOIN_15_16, retire))
    later = office.push_one(office.create(15, 16, party=9))

    assert refused["outcome"] == "rejected"
    reference = nine["args"]["reference"]
    assert f"{reference[:4]}-{reference[4:8]}-{reference[8:]}" in refused["reason"]
    assert retired["outcome"] == "applied"
    assert rows(office, "combination")[str(JOIN_15_16)]["active"] is False
    assert later["outcome"] == "conflict"
    assert "Tables 15 + 16 cannot be combined" in later["reason"]


def test_an_area_rename_is_pulled_by_every_desk(server):
    office, bar = server.desk("Office", role=Role.MANAGER), server.desk("Bar")

    renamed = office.push_one(
        office.intent(IntentName.UPDATE_AREA, AREA["Booths"], {"name": "The Booths"})
    )

    assert renamed["outcome"] == "applied"
    assert rows(bar, "area")[str(AREA["Booths"])]["name"] == "The Booths"


def test_an_area_with_tables_is_not_removed_and_its_tables_are_named(server):
    office = server.desk("Office", role=Role.MANAGER)
    remove = {"name": "Booths", "active": False}

    refused = office.push_one(office.intent(IntentName.UPDATE_AREA, AREA["Booths"], remove))

    assert refused["outcome"] == "rejected"
    assert "Booths still has tables 7, 8, 9, 10, 11" in refused["reason"]
    assert rows(office, "area")[str(AREA["Booths"])]["active"] is True


def test_a_table_cannot_be_put_in_an_area_that_was_removed(server):
    office = server.desk("Office", role=Role.MANAGER)
    terrace = uuid.uuid4()
    office.push_one(office.intent(IntentName.UPDATE_AREA, terrace, {"name": "Terrace"}))
    removed = office.push_one(
        office.intent(IntentName.UPDATE_AREA, terrace, {"name": "Terrace", "active": False})
    )
    table = {
        "number": 40,
        "area_id": str(terrace),
        "min_covers": 2,
        "max_covers": 4,
        "x": 0.0,
        "y": 0.0,
        "width": 60.0,
        "height": 60.0,
    }

    placed = office.push_one(office.intent(IntentName.UPDATE_TABLE, uuid.uuid4(), table))

    assert removed["outcome"] == "applied"
    assert placed["outcome"] == "rejected"
    assert "Area Terrace was removed" in placed["reason"]


def test_a_duplicate_area_name_is_refused(server):
    office = server.desk("Office", role=Role.MANAGER)

    refused = office.push_one(
        office.intent(IntentName.UPDATE_AREA, uuid.uuid4(), {"name": "main  bar"})
    )

    assert refused["outcome"] == "rejected"
    assert "already an area called Main Bar" in refused["reason"]


def test_two_desks_renaming_one_area_from_the_same_version_the_later_one_wins(server):
    office = server.desk("Office", role=Role.MANAGER)
    laptop = server.desk("Laptop", role=Role.ADMIN)
    seen = rows(office, "area")[str(AREA["Back Room"])]["version"]
    args = {"name": "Snug"}

    first = office.push_one(
        office.intent(IntentName.UPDATE_AREA, AREA["Back Room"], args, base_version=seen)
    )
    second = laptop.push_one(
        laptop.intent(
            IntentName.UPDATE_AREA,
            AREA["Back Room"],
            {"name": "Garden Room"},
            base_version=seen,
            staff=server.staff[Role.ADMIN],
        )
    )

    assert (first["outcome"], second["outcome"]) == ("applied", "applied")
    assert rows(office, "area")[str(AREA["Back Room"])]["name"] == "Garden Room"


def table_args(number, **changes):
    stored = next(t for t in PLAN["tables"] if t["number"] == number)
    keys = ("number", "area_id", "min_covers", "max_covers", "shape", "x", "y", "width", "height")
    return {**{k: stored[k] for k in keys}, "booth": stored["booth"], **changes}


def test_a_tables_minimum_spend_set_on_one_desk_is_kept_when_an_older_desk_moves_it(server):
    office = server.desk("Office", role=Role.MANAGER)
    bar = server.desk("Bar", role=Role.MANAGER)

    priced = office.push_one(
        office.intent(IntentName.UPDATE_TABLE, TABLE[7], table_args(7, min_spend_pence=15_000))
    )
    # A desk from before minimum spends could be set sends its tables without one.
    moved = bar.push_one(bar.intent(IntentName.UPDATE_TABLE, TABLE[7], table_args(7, x=333.0)))

    seven = rows(bar, "table")[str(TABLE[7])]
    assert priced["outcome"] == moved["outcome"] == "applied"
    assert (seven["min_spend_pence"], seven["x"]) == (15_000, 333.0)


def test_a_table_cut_below_the_party_booked_on_it_is_refused_until_they_are_moved(server):
    office = server.desk("Office", role=Role.MANAGER)
    four = office.create(4, party=4)
    office.push_one(four)

    refused = office.push_one(
        office.intent(IntentName.UPDATE_TABLE, TABLE[4], table_args(4, min_covers=1, max_covers=2))
    )
    office.push_one(office.intent(IntentName.CANCEL, uuid.UUID(four["entity_id"]), {}))
    cut = office.push_one(
        office.intent(IntentName.UPDATE_TABLE, TABLE[4], table_args(4, min_covers=1, max_covers=2))
    )

    reference = four["args"]["reference"]
    assert refused["outcome"] == "rejected"
    assert refused["reason"] == (
        f"Booking {reference[:4]}-{reference[4:8]}-{reference[8:]} (table 4, party of 4, "
        "Tue 02 Mar 19:00) relies on Table 4; move it first."
    )
    assert cut["outcome"] == "applied"
    assert rows(office, "table")[str(TABLE[4])]["max_covers"] == 2


def test_a_table_of_a_join_cannot_shrink_below_what_the_join_promises(server):
    office = server.desk("Office", role=Role.MANAGER)

    refused = office.push_one(
        office.intent(IntentName.UPDATE_TABLE, TABLE[15], table_args(15, max_covers=4))
    )

    assert refused["outcome"] == "rejected"
    assert "Tables 15 + 16 combine for parties of up to 12" in refused["reason"]
    assert rows(office, "table")[str(TABLE[15])]["max_covers"] == 6
