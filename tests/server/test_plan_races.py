"""A booking moved onto tables as a manager changes them is judged by the new plan.

A judge reads the venue's floor plan in the intent's first round trip and locks the
tables it places a booking on later. A floor edit that commits in between (it locks
the same tables) must not leave the booking on a join that was retired, or on a table
cut below its party: the move waits for the edit's table locks, and is then judged
against the plan the edit left. So is a guest's "1" to a waitlist offer of a table
being changed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from app.domain.permissions import Role
from app.protocol import IntentName
from server.sync.placement import PlanMoved
from tests.server.harness import EVENING, PLAN, TABLE
from tests.server.test_floor_intents import join_args, table_args
from tests.server.test_offer_holds import offer, waitlisted
from tests.server.test_offer_replies import answer

JOIN_15_16 = uuid.UUID(PLAN["combinations"][0]["id"])


def waiting_for_a_lock(server: Any) -> int:
    with server.app.state.sessions() as session:
        return session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()


def until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 20
    while not check():
        assert time.monotonic() < deadline, "the push never reached the tables' lock"
        time.sleep(0.01)


def move(desk: Any, create: dict[str, Any], *numbers: int) -> dict[str, Any]:
    return desk.intent(
        IntentName.MOVE_BOOKING,
        uuid.UUID(create["entity_id"]),
        {
            "start": create["args"]["start"],
            "duration_minutes": 120,
            "table_ids": [str(TABLE[n]) for n in numbers],
        },
        base_version=create["version"],
        previous={"table_ids": create["args"]["table_ids"]},
    )


def one_then_the_other(
    server: Any, locked: list[int], first: Callable[[], Any], second: Callable[[], Any]
) -> tuple[Any, Any]:
    """``first`` reaches the tables' locks first, ``second`` (its plan read) after it."""
    with ThreadPoolExecutor(max_workers=2) as pool, server.app.state.sessions() as blocker:
        blocker.execute(
            text("SELECT id FROM tables WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE"),
            {"ids": [TABLE[n] for n in locked]},
        )
        ahead: Future[Any] = pool.submit(first)
        until(lambda: waiting_for_a_lock(server) == 1)
        behind: Future[Any] = pool.submit(second)
        until(lambda: waiting_for_a_lock(server) == 2)
        blocker.rollback()
        return ahead.result(timeout=30), behind.result(timeout=30)


def edit_then_move(
    server: Any, edit: Callable[..., Any], moving: Callable[..., Any], locked: list[int]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A manager's floor edit reaches the tables' locks first, another desk's move second."""
    office, bar = server.desk("Office", role=Role.MANAGER), server.desk("Bar")
    return one_then_the_other(
        server, locked, lambda: office.push_one(edit(office)), lambda: bar.push_one(moving(bar))
    )


def table_of(server: Any, booking_id: str) -> list[str]:
    with server.app.state.sessions() as session:
        return session.execute(
            text("SELECT table_ids FROM bookings WHERE id = :id"), {"id": uuid.UUID(booking_id)}
        ).scalar_one()


@pytest.fixture
def booked(server: Any) -> Callable[..., dict[str, Any]]:
    front = server.desk("Front")

    def book(table: int, party: int) -> dict[str, Any]:
        create = front.create(table, party=party, start=EVENING + timedelta(days=1))
        outcome = front.push_one(create)
        assert outcome["outcome"] == "applied"
        return {**create, "version": outcome["version"]}

    return book


def test_a_party_moved_onto_a_join_as_it_is_retired_stays_where_it_was(server, booked):
    eight = booked(12, 8)
    retire = join_args(15, 16, low=7, high=12, active=False)

    retired, moved = edit_then_move(
        server,
        lambda office: office.intent(IntentName.UPDATE_COMBINATION, JOIN_15_16, retire),
        lambda bar: move(bar, eight, 15, 16),
        [15, 16],
    )

    assert retired["outcome"] == "applied"
    assert moved["outcome"] != "applied"
    assert "Tables 15 + 16 cannot be combined" in moved["reason"]
    assert table_of(server, eight["entity_id"]) == [TABLE[12]]


def test_a_party_moved_onto_a_table_as_it_is_cut_below_them_stays_where_it_was(server, booked):
    four = booked(7, 4)

    cut, moved = edit_then_move(
        server,
        lambda office: office.intent(
            IntentName.UPDATE_TABLE, TABLE[9], table_args(9, min_covers=1, max_covers=2)
        ),
        lambda bar: move(bar, four, 9),
        [9],
    )

    assert cut["outcome"] == "applied"
    assert moved["outcome"] != "applied"
    assert "Table 9" in moved["reason"]
    assert table_of(server, four["entity_id"]) == [TABLE[7]]


def test_a_guests_1_to_an_offer_of_a_table_cut_as_they_answer_leaves_them_waiting(server, clock):
    desk, office = server.desk("Reception"), server.desk("Office", role=Role.MANAGER)
    booking = waitlisted(desk)  # a party of 2
    offer(desk, booking, 7, until=clock.now() + timedelta(minutes=10))
    clock.advance(minutes=1)
    for_three = office.intent(
        IntentName.UPDATE_TABLE, TABLE[7], table_args(7, min_covers=3, max_covers=4)
    )

    cut, said = one_then_the_other(
        server, [7], lambda: office.push_one(for_three), lambda: answer(server, booking)
    )

    assert cut["outcome"] == "applied"
    assert not said.done
    assert "Table 7" in said.words and "Nothing changed." in said.words
    assert desk.bookings()[str(booking)]["status"] == "waitlisted"


def test_a_change_whose_rules_kept_moving_through_every_retry_is_answered_503(server):
    @server.app.get("/test/plan-moved")
    def keeps_moving() -> None:
        raise PlanMoved

    answer = server.client.get("/test/plan-moved")

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert "try again shortly" in answer.json()["detail"]
