"""Where desk and server used to mean different things by one change, they now agree.

Each test is a case the first wave got wrong: the desk showed one row and the
server made another (or refused what the desk showed as done). Every one
compares the desk's own row with the server's, column by column, in the real
databases (tests/sync/agreement.py).
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import psycopg
import pytest

from app.domain.allocation import Move
from app.domain.allocation.reoptimise import NightPlan
from app.domain.booking import BookingStatus
from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.protocol import Resolution
from app.services.booking_create import NewBooking
from app.services.conflicts import ConflictInbox
from app.services.night_plan import PlannedNight
from tests.sync.agreement import (
    FIRST_NIGHT,
    SERVER_ASSIGNED,
    compared,
    desk_bookings,
    open_desks,
    server_rows,
)
from tests.sync.relay import cut
from tests.sync.world import TABLE, SyncDesk

S = BookingStatus
NIGHT = FIRST_NIGHT  # a Wednesday: open 17:00–01:00, no deposit below 8


def book(desk: SyncDesk, table: int, party: int = 4, hour: int = 19, minutes: int = 120) -> str:
    made = desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace",
            phone="0113 496 0123",
            party_size=party,
            start=NIGHT.replace(hour=hour),
            duration_minutes=minutes,
            table_ids=(str(TABLE[table]),),
        ),
    )
    return made.booking.id


def same_as_server(world, desk: SyncDesk, booking_id: str, mine: dict | None = None) -> list[str]:
    """What differs between the desk's row (or ``mine``, taken earlier) and the server's."""
    row = mine if mine is not None else desk_bookings(desk.path)[booking_id]
    return compared(row, server_rows(world.database_url, "bookings")[booking_id], SERVER_ASSIGNED)


def synced(*desks: SyncDesk) -> None:
    for desk in desks:
        desk.engine.sync_once()


def double_booking(world, reception: SyncDesk, manager: SyncDesk) -> tuple[str, str]:
    """Both desks book table 7 at 19:00 while cut off; the manager's is kept in conflict."""
    world.relay.fault = cut
    ours = book(reception, 7)
    theirs = book(manager, 7)
    world.relay.fault = None
    synced(reception, manager, reception)
    return ours, theirs


@pytest.fixture
def pair(world, tmp_path):
    reception, manager = open_desks(world, tmp_path)
    synced(reception, manager)
    yield reception, manager
    reception.close()
    manager.close()


def test_keeping_my_stale_edit_shows_on_the_desk_exactly_the_row_the_server_makes(world, pair):
    reception, manager = pair
    booking = book(reception, 9, party=4)
    synced(reception, manager)
    manager.desk.edits.edit_details(manager.staff(Role.RECEPTION), booking, party_size=5)
    synced(manager)
    reception.desk.edits.edit_details(
        reception.staff(Role.RECEPTION),
        booking,
        party_size=6,
        occasion="anniversary",
        special_requests="Quiet corner",
    )
    synced(reception)
    inbox = ConflictInbox(reception.store, reception.clock)
    [conflict] = inbox.open_ids()

    inbox.resolve(reception.staff(Role.MANAGER), conflict, Resolution.KEEP_MINE)
    mine = desk_bookings(reception.path)[booking]
    synced(reception)

    assert (mine["party_size"], mine["occasion"], mine["special_requests"]) == (
        6,
        "anniversary",
        "Quiet corner",
    )
    assert same_as_server(world, reception, booking, mine) == []


def test_a_party_that_leaves_early_frees_its_table_on_the_server_too(world, pair):
    reception, _ = pair
    booking = book(reception, 9, hour=19, minutes=120)
    reception.desk.lifecycle.seat(reception.staff(Role.RECEPTION), booking)
    synced(reception)
    world.clock.instant = NIGHT.replace(hour=19, minute=40)

    reception.desk.lifecycle.complete(reception.staff(Role.RECEPTION), booking)
    mine = desk_bookings(reception.path)[booking]
    synced(reception)

    assert mine["duration_minutes"] == 40
    assert same_as_server(world, reception, booking, mine) == []


def test_a_double_booking_sent_to_the_waitlist_waits_from_the_same_minute_on_both(world, pair):
    reception, manager = pair
    _ours, theirs = double_booking(world, reception, manager)
    inbox = ConflictInbox(reception.store, reception.clock)
    [conflict] = inbox.open_ids()
    world.clock.advance(minutes=5)

    inbox.resolve(reception.staff(Role.RECEPTION), conflict, Resolution.WAITLIST)
    mine = desk_bookings(reception.path)[theirs]
    synced(reception)

    assert mine["status"] == S.WAITLISTED and mine["table_ids"] == []
    assert mine["waitlisted_at"] == world.clock.instant
    assert same_as_server(world, reception, theirs, mine) == []


def test_a_booking_cancelled_while_its_conflict_was_open_is_not_brought_back(world, pair):
    reception, manager = pair
    _ours, theirs = double_booking(world, reception, manager)
    synced(manager)
    manager.desk.lifecycle.cancel(manager.staff(Role.RECEPTION), theirs, "guest called")
    synced(manager, reception)
    inbox = ConflictInbox(reception.store, reception.clock)
    [conflict] = inbox.open_ids()

    with pytest.raises(DomainError, match="cancelled while this conflict was open"):
        inbox.resolve(reception.staff(Role.MANAGER), conflict, Resolution.KEEP_BOTH)
    inbox.resolve(reception.staff(Role.MANAGER), conflict, Resolution.CANCEL)
    synced(reception)

    assert server_rows(world.database_url, "bookings")[theirs]["status"] == S.CANCELLED
    assert same_as_server(world, reception, theirs) == []
    assert inbox.open_ids() == []


def test_moving_a_conflicted_booking_onto_tables_that_do_not_combine_is_refused_at_the_desk(
    world, pair
):
    reception, manager = pair
    _ours, theirs = double_booking(world, reception, manager)
    inbox = ConflictInbox(reception.store, reception.clock)
    [conflict] = inbox.open_ids()
    before = desk_bookings(reception.path)[theirs]

    with pytest.raises(DomainError, match="cannot be combined"):
        inbox.resolve(
            reception.staff(Role.RECEPTION),
            conflict,
            Resolution.MOVE,
            table_ids=(str(TABLE[4]), str(TABLE[5])),
        )

    assert desk_bookings(reception.path)[theirs] == before
    assert reception.pending() == 0


def test_a_booking_can_be_moved_at_its_time_after_the_venue_shortened_its_hours(world, pair):
    reception, _ = pair
    booking = book(reception, 9, hour=23, minutes=120)  # 23:00–01:00, closing time
    synced(reception)
    close_at_midnight(world, reception)

    reception.desk.edits.move(reception.staff(Role.RECEPTION), booking, (str(TABLE[10]),))
    mine = desk_bookings(reception.path)[booking]
    synced(reception)

    assert mine["table_ids"] == [str(TABLE[10])]
    assert same_as_server(world, reception, booking, mine) == []
    with pytest.raises(DomainError, match="open 17:00–00:00"):
        reception.desk.edits.move(
            reception.staff(Role.RECEPTION),
            booking,
            (str(TABLE[10]),),
            start=NIGHT.replace(hour=23, minute=30),
        )


def close_at_midnight(world, desk: SyncDesk) -> None:
    """The venue now closes at midnight every night, on the server and on the desk."""
    with psycopg.connect(world.database_url.replace("postgresql+psycopg", "postgresql")) as db:
        db.execute(
            "UPDATE venues SET settings = jsonb_set(settings, '{opening_hours}', "
            "(SELECT jsonb_object_agg(day, jsonb_set(hours, '{closes}', '\"00:00\"')) "
            "FROM jsonb_each(settings->'opening_hours') AS h(day, hours)))"
        )
    with sqlite3.connect(desk.path) as db:
        db.execute(
            "UPDATE venue SET config = json_set(config, "
            + ", ".join(f"'$.opening_hours.\"{d}\".closes', '00:00'" for d in range(7))
            + ")"
        )


def test_notes_on_a_completed_booking_can_still_be_written_and_agree(world, pair):
    reception, _ = pair
    booking = book(reception, 9)
    staff = reception.staff(Role.RECEPTION)
    reception.desk.lifecycle.seat(staff, booking)
    reception.desk.lifecycle.complete(staff, booking)
    synced(reception)

    reception.desk.edits.edit_details(staff, booking, notes="Left an umbrella")
    mine = desk_bookings(reception.path)[booking]
    synced(reception)

    assert mine["notes"] == "Left an umbrella"
    assert same_as_server(world, reception, booking, mine) == []
    with pytest.raises(DomainError, match="is completed; its party size cannot change"):
        reception.desk.edits.edit_details(staff, booking, party_size=5)


def test_the_server_prices_the_deposit_by_its_own_policy_and_a_new_size_reprices_it_alike(
    world, pair
):
    reception, _ = pair
    staff = reception.staff(Role.RECEPTION)
    with sqlite3.connect(reception.path) as db:  # this desk's copy of the policy is out of date
        db.execute("UPDATE venue SET config = json_set(config, '$.deposit_policy.min_party', 20)")
    booking = book(reception, 12, party=8)  # 8 on a Wednesday: £10 a head by the venue's policy
    offline_view = desk_bookings(reception.path)[booking]
    synced(reception)
    priced = desk_bookings(reception.path)[booking]

    with sqlite3.connect(reception.path) as db:
        db.execute("UPDATE venue SET config = json_set(config, '$.deposit_policy.min_party', 8)")
    reception.desk.edits.edit_details(staff, booking, party_size=9)
    mine = desk_bookings(reception.path)[booking]
    synced(reception)

    assert (offline_view["status"], offline_view["deposit_pence"]) == (S.CONFIRMED, 0)
    assert (priced["status"], priced["deposit_state"], priced["deposit_pence"]) == (
        S.PENDING,
        "required",
        8000,
    )
    assert mine["deposit_pence"] == 9000
    assert same_as_server(world, reception, booking, mine) == []


def test_a_stale_move_kept_mine_lands_where_the_desk_showed_it(world, pair):
    reception, manager = pair
    booking = book(reception, 9, hour=19)
    synced(reception, manager)
    manager.desk.edits.move(manager.staff(Role.RECEPTION), booking, (str(TABLE[10]),))
    synced(manager)
    reception.desk.edits.move(
        reception.staff(Role.RECEPTION), booking, (str(TABLE[11]),), start=NIGHT.replace(hour=20)
    )
    synced(reception)
    inbox = ConflictInbox(reception.store, reception.clock)
    [conflict] = inbox.open_ids()
    world.clock.advance(minutes=2)

    inbox.resolve(reception.staff(Role.RECEPTION), conflict, Resolution.KEEP_MINE)
    mine = desk_bookings(reception.path)[booking]
    synced(reception)

    assert mine["table_ids"] == [str(TABLE[11])]
    assert mine["start"] == NIGHT.replace(hour=20)
    assert same_as_server(world, reception, booking, mine) == []
    assert mine["updated_at"] == world.clock.instant - timedelta(0)


def _move(desk: SyncDesk, booking: str, tables: tuple[int, int]) -> Move:
    row = desk_bookings(desk.path)[booking]
    return Move(
        booking_id=booking,
        customer_id=row["customer_id"],
        party_size=row["party_size"],
        from_table_ids=(str(TABLE[tables[0]]),),
        to_table_ids=(str(TABLE[tables[1]]),),
        combined=False,
    )


def test_a_night_plan_another_desk_overtook_moves_none_of_its_bookings_on_the_desk_either(
    world, pair
):
    reception, manager = pair
    ada, bo = book(reception, 4), book(reception, 5)
    synced(reception, manager)
    manager.desk.edits.move(manager.staff(Role.RECEPTION), ada, (str(TABLE[9]),))
    synced(manager)
    # Before hearing of that move, the manager's plan at reception moves both bookings.
    moves = (_move(reception, ada, (4, 6)), _move(reception, bo, (5, 14)))
    plan = NightPlan(moves=moves, promotions=(), still_waiting=())
    reception.desk.night_plan.apply(
        reception.staff(Role.MANAGER), PlannedNight(NIGHT.date(), plan, ())
    )

    reception.engine.pull()  # hears of the move while the plan still waits to be sent
    shown = desk_bookings(reception.path)
    synced(reception)

    assert shown[bo]["table_ids"] == [str(TABLE[5])]
    assert shown[ada]["table_ids"] == [str(TABLE[9])]
    assert same_as_server(world, reception, bo, shown[bo]) == []
    assert same_as_server(world, reception, ada, shown[ada]) == []
    with sqlite3.connect(reception.path) as conn:
        (outcome, reason), *_ = conn.execute(
            "SELECT outcome, reason FROM sync_outcome WHERE name = 'rearrange'"
        ).fetchall()
    assert outcome == "rejected"
    assert "changed after this plan was made" in reason
