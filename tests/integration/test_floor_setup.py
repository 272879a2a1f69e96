"""A manager edits areas and combinations on a real desk file: rows, audit and intent together."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date, time

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import InvalidInput, PermissionDenied
from app.domain.floorplan import Area, Combination
from app.services.booking_create import NewBooking

WEDNESDAY = date(2026, 11, 25)


def tonight(desk, hh):
    return desk.queries.venue().venue.wall_time_on(WEDNESDAY, time(hh))


def party(desk, size, hh=20, phone="0113 496 0001"):
    return NewBooking(name="Ava Wood", phone=phone, party_size=size, start=tonight(desk, hh))


def join(desk, *numbers, low=5, high=8, combo_id=None):
    plan = desk.queries.venue().plan
    ids = frozenset(plan.table_by_number(n).id for n in numbers)
    return Combination(combo_id or str(uuid.uuid4()), "", ids, low, high)


def numbers(desk, table_ids):
    return desk.queries.venue().plan.numbers(table_ids)


def rows(db_path):
    """What a use case leaves behind, read through a separate plain connection."""
    with sqlite3.connect(db_path) as conn:
        return {
            name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("area", "combination", "audit_event", "outbox")
        }


def last_intent(db_path):
    with sqlite3.connect(db_path) as conn:
        name, args, base = conn.execute(
            "SELECT name, json_extract(body, '$.args'), json_extract(body, '$.base_version') "
            "FROM outbox ORDER BY device_seq DESC LIMIT 1"
        ).fetchone()
    return name, json.loads(args), base


def test_a_manager_joins_4_and_5_for_5_to_8_and_a_party_of_7_is_seated_there_at_once(
    desk, manager, reception, db_path
):
    before = rows(db_path)

    saved = desk.floor.save_combination(manager, join(desk, 4, 5))
    booked = desk.create.create_booking(reception, party(desk, 7))

    assert saved.message == "Tables 4 + 5 combine for parties of 5–8."
    assert numbers(desk, booked.booking.table_ids) == "4 + 5"
    assert booked.booking.combined
    after = rows(db_path)
    assert after["combination"] == before["combination"] + 1
    assert after["audit_event"] == before["audit_event"] + 2  # the join, then the booking
    assert last_intent(db_path)[0] == "create_booking"


def test_the_combination_is_journaled_as_one_update_combination_intent(desk, manager, db_path):
    combo = join(desk, 4, 5)

    desk.floor.save_combination(manager, combo)

    name, args, base = last_intent(db_path)
    assert (name, base) == ("update_combination", 0)
    assert args == {
        "name": "4 + 5",
        "table_ids": sorted(combo.table_ids),
        "min_party": 5,
        "max_party": 8,
        "strategy": "COMBINED",
        "active": True,
    }


def test_reception_may_not_edit_combinations_or_areas_and_nothing_is_stored(
    desk, reception, db_path
):
    before = rows(db_path)

    with pytest.raises(PermissionDenied) as joined:
        desk.floor.save_combination(reception, join(desk, 4, 5))
    with pytest.raises(PermissionDenied):
        desk.floor.save_area(reception, Area(str(uuid.uuid4()), "Terrace"))

    assert "signed in as reception, who may not edit the floor plan" in str(joined.value)
    assert rows(db_path) == before


@pytest.mark.parametrize(
    ("tables", "low", "high", "field", "words"),
    [
        ((3, 4), 5, 8, "party", "Tables 3 + 4 seat 6 at most"),
        ((4, 5), 8, 5, "party", "party range must be 1 ≤ min ≤ max"),
        ((15, 16), 8, 10, "tables", "already combine for parties of 7–12"),
    ],
)
def test_a_bad_combination_is_refused_on_its_field_and_nothing_is_stored(
    desk, manager, db_path, tables, low, high, field, words
):
    before = rows(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.floor.save_combination(manager, join(desk, *tables, low=low, high=high))

    assert refused.value.field == field
    assert words in str(refused.value)
    assert rows(db_path) == before


def test_a_combination_a_booking_relies_on_cannot_be_retired_until_the_booking_moves(
    desk, manager, reception, db_path
):
    nine = desk.create.create_booking(reception, party(desk, 9)).booking
    combo = desk.queries.venue().plan.combinations[0]
    before = rows(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.floor.retire_combination(manager, combo.id)
    unchanged = rows(db_path)
    desk.lifecycle.cancel(reception, nine.id)
    retired = desk.floor.retire_combination(manager, combo.id)
    again = desk.create.create_booking(reception, party(desk, 9, phone="0113 496 0002"))

    assert nine.reference[:4] in str(refused.value) and "tables 15 + 16" in str(refused.value)
    assert unchanged == before
    assert retired.message == "Tables 15 + 16 are no longer combined."
    assert desk.queries.venue().plan.combinations == ()
    assert again.booking.status is BookingStatus.WAITLISTED


def test_a_retired_combination_comes_back_under_its_own_id(desk, manager, reception):
    combo = desk.queries.venue().plan.combinations[0]
    desk.floor.retire_combination(manager, combo.id)

    desk.floor.save_combination(manager, combo)
    booked = desk.create.create_booking(reception, party(desk, 9))

    assert [c.id for c in desk.queries.venue().plan.combinations] == [combo.id]
    assert numbers(desk, booked.booking.table_ids) == "15 + 16"


def test_a_manager_adds_renames_and_flags_an_area_and_each_change_is_journaled(
    desk, manager, db_path
):
    area_id = str(uuid.uuid4())

    added = desk.floor.save_area(manager, Area(area_id, " Terrace "))
    renamed = desk.floor.save_area(manager, Area(area_id, "Roof Terrace", vip=True))

    assert (added.message, renamed.message) == (
        "Area Terrace added.",
        "Area Terrace is now Roof Terrace.",
    )
    area = desk.queries.venue().plan.area(area_id)
    assert (area.name, area.vip) == ("Roof Terrace", True)
    name, args, _ = last_intent(db_path)
    assert (name, args) == ("update_area", {"name": "Roof Terrace", "vip": True, "active": True})


def test_an_area_with_tables_is_not_removed_and_the_tables_are_named(desk, manager, db_path):
    booths = next(a for a in desk.queries.venue().plan.areas if a.name == "Booths")
    before = rows(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.floor.remove_area(manager, booths.id)

    assert "Booths still has tables 7, 8, 9, 10, 11" in str(refused.value)
    assert rows(db_path) == before


def test_an_empty_area_is_removed_from_the_plan_but_kept_as_a_row(desk, manager, db_path):
    area_id = str(uuid.uuid4())
    desk.floor.save_area(manager, Area(area_id, "Terrace"))

    removed = desk.floor.remove_area(manager, area_id)

    assert removed.message == "Area Terrace removed."
    assert area_id not in {a.id for a in desk.queries.venue().plan.areas}
    name, args, _ = last_intent(db_path)
    assert (name, args["active"]) == ("update_area", False)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT active FROM area WHERE id = ?", (area_id,)).fetchone() == (0,)


def test_a_duplicate_area_name_is_refused_on_the_name_field(desk, manager, db_path):
    before = rows(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.floor.save_area(manager, Area(str(uuid.uuid4()), "main bar"))

    assert refused.value.field == "name"
    assert rows(db_path) == before
