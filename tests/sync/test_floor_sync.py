"""A manager's area and combination edits reach the server and every other desk."""

from __future__ import annotations

import uuid

from app.domain.floorplan import Area, Combination
from app.domain.permissions import Role
from app.protocol import EntityKind
from app.services.booking_create import NewBooking
from app.sync.mirror import read_simple
from app.sync.status import SyncState
from tests.sync.relay import cut
from tests.sync.world import EVENING, TABLE, server_sql


def plan(desk):
    return desk.desk.queries.venue().plan


def area_named(desk, name):
    return next(a for a in plan(desk).areas if a.name == name)


def party_of(desk, size, name="Ada Lovelace"):
    return desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name=name,
            phone="0113 496 0123",
            party_size=size,
            start=EVENING,
            duration_minutes=120,
        ),
    )


def test_an_area_renamed_on_one_desk_is_renamed_on_the_other_after_sync(desks):
    office, bar = desks("Office"), desks("Bar")
    office.engine.sync_once()
    booths = area_named(office, "Booths")

    office.desk.floor.save_area(office.staff(Role.MANAGER), Area(booths.id, "The Booths", True))
    sent = office.engine.sync_once()
    bar.engine.sync_once()

    assert sent.state is SyncState.UP_TO_DATE
    renamed = plan(bar).area(booths.id)
    assert (renamed.name, renamed.vip) == ("The Booths", True)


def test_a_join_made_on_one_desk_seats_a_party_of_seven_on_the_other(desks, sync_db):
    office, bar = desks("Office"), desks("Bar")
    combo_id = str(uuid.uuid4())
    joined = Combination(combo_id, "", frozenset({str(TABLE[4]), str(TABLE[5])}), 5, 8)

    office.desk.floor.save_combination(office.staff(Role.MANAGER), joined)
    office.engine.sync_once()
    bar.engine.sync_once()
    seven = party_of(bar, 7)
    status = bar.engine.sync_once()

    assert plan(bar).numbers(seven.booking.table_ids) == "4 + 5"
    assert status.state is SyncState.UP_TO_DATE
    [(tables,)] = server_sql(
        sync_db, "SELECT table_ids FROM bookings WHERE id = %s", seven.booking.id
    )
    assert sorted(map(str, tables)) == sorted([str(TABLE[4]), str(TABLE[5])])


def test_a_join_retired_on_one_desk_is_no_longer_offered_on_the_other(desks):
    office, bar = desks("Office"), desks("Bar")
    combo = plan(office).combinations[0]

    office.desk.floor.retire_combination(office.staff(Role.MANAGER), combo.id)
    office.engine.sync_once()
    bar.engine.sync_once()

    assert plan(bar).combinations == ()
    with bar.store.read() as reader:
        stored = read_simple(reader.session, EntityKind.COMBINATION)
    assert stored[combo.id]["active"] is False


def test_a_rename_still_waiting_to_be_sent_stays_on_screen_when_another_desks_change_arrives(
    desks,
):
    office, bar = desks("Office"), desks("Bar")
    office.engine.sync_once()
    bar.engine.sync_once()
    booths = area_named(office, "Booths")
    office.desk.floor.save_area(office.staff(Role.MANAGER), Area(booths.id, "My Booths"))
    bar.desk.floor.save_area(bar.staff(Role.MANAGER), Area(booths.id, "Booths", vip=True))
    bar.engine.sync_once()

    office.engine.pull()
    shown = plan(office).area(booths.id).name
    office.engine.sync_once()
    bar.engine.sync_once()

    assert shown == "My Booths"
    assert plan(bar).area(booths.id) == plan(office).area(booths.id)
    assert plan(bar).area(booths.id).name == "My Booths"  # the later writer wins


def test_two_desks_adding_the_same_area_name_offline_the_second_is_refused_and_put_away(
    desks, relay
):
    office, bar = desks("Office"), desks("Bar")
    office.engine.sync_once()
    bar.engine.sync_once()
    relay.fault = cut
    mine = str(uuid.uuid4())
    office.desk.floor.save_area(office.staff(Role.MANAGER), Area(str(uuid.uuid4()), "Terrace"))
    bar.desk.floor.save_area(bar.staff(Role.MANAGER), Area(mine, "Terrace"))
    relay.fault = None

    office.engine.sync_once()
    status = bar.engine.sync_once()
    office.engine.sync_once()

    assert status.state is SyncState.NEEDS_ATTENTION
    assert "There is already an area called Terrace." in status.detail
    assert [a.name for a in plan(bar).areas].count("Terrace") == 1
    assert mine not in {a.id for a in plan(bar).areas}
    assert {a.id for a in plan(bar).areas} == {a.id for a in plan(office).areas}
