"""Fifty desks booking one table at once: one booking holds it, 49 are kept as conflicts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.server.harness import EVENING

DESKS = 50


def push_all_at_once(desks, intents):
    with ThreadPoolExecutor(max_workers=DESKS) as pool:
        return list(
            pool.map(lambda pair: pair[0].push_one(pair[1]), zip(desks, intents, strict=True))
        )


def holders(server, table_number):
    with server.app.state.sessions() as session:
        return session.execute(
            text(
                "SELECT count(*) FROM booking_tables bt JOIN tables t ON t.id = bt.table_id "
                "WHERE t.number = :n"
            ),
            {"n": table_number},
        ).scalar_one()


@pytest.mark.slow
def test_fifty_simultaneous_overlapping_bookings_leave_one_holding_the_table(server):
    desks = [server.desk(f"Desk {i}") for i in range(DESKS)]
    intents = [
        d.create(7, party=4, start=EVENING + timedelta(minutes=i)) for i, d in enumerate(desks)
    ]

    outcomes = push_all_at_once(desks, intents)

    kinds = sorted(o["outcome"] for o in outcomes)
    assert kinds == ["applied"] + ["conflict"] * (DESKS - 1)
    bookings = desks[0].bookings()
    assert len(bookings) == DESKS
    statuses = sorted(b["status"] for b in bookings.values())
    assert statuses == ["confirmed"] + ["conflict"] * (DESKS - 1)
    assert holders(server, 7) == 1
    conflicts = server.client.get(
        "/v1/conflicts", params={"limit": 100}, headers=desks[0].headers
    ).json()
    assert len(conflicts) == DESKS - 1
    winner = next(b for b in bookings.values() if b["status"] == "confirmed")
    assert {c["other_booking_id"] for c in conflicts} == {winner["id"]}


@pytest.mark.slow
def test_combined_tables_against_one_of_them_alone_leave_one_active_booking(server):
    desks = [server.desk(f"Desk {i}") for i in range(DESKS)]
    intents = [
        d.create(15, 16, party=8) if i % 2 else d.create(15, party=5) for i, d in enumerate(desks)
    ]

    outcomes = push_all_at_once(desks, intents)

    assert sorted(o["outcome"] for o in outcomes) == ["applied"] + ["conflict"] * (DESKS - 1)
    bookings = desks[0].bookings()
    active = [b for b in bookings.values() if b["status"] != "conflict"]
    assert len(bookings) == DESKS and len(active) == 1
    # Whoever won: the party of 5 alone is confirmed; the party of 8 on the join owes the
    # venue's deposit, so it waits for it (pending).
    [winner] = active
    assert winner["status"] == ("pending" if winner["party_size"] == 8 else "confirmed")
    assert holders(server, 15) == 1
    assert holders(server, 16) == (1 if winner["party_size"] == 8 else 0)
