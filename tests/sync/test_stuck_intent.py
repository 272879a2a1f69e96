"""An intent the server keeps failing on (the same 5xx for the same body) is tried a bounded
number of times, then shown as needing attention; the changes before it and everyone
else's changes still get through, and an outage of the whole server sticks nothing."""

from __future__ import annotations

import contextlib
import json
import sqlite3

import httpx

from app.sync.status import SyncState
from tests.sync.test_faults import answer_with
from tests.sync.test_push_and_pull import book
from tests.sync.world import SyncDesk


def queued(desk) -> dict[str, tuple[int, str]]:
    """Each waiting intent's booking id: (device_seq, mutation_id)."""
    with contextlib.closing(sqlite3.connect(desk.path)) as conn:
        rows = conn.execute("SELECT entity_id, device_seq, mutation_id FROM outbox").fetchall()
    return {entity: (seq, mutation) for entity, seq, mutation in rows}


class FailsOn:
    """The server answers 500 to every push that carries one intent; the rest is real."""

    def __init__(self, mutation_id: str) -> None:
        self.mutation_id = mutation_id
        self.attempts = 0

    def __call__(self, request: httpx.Request, send) -> httpx.Response:
        if request.url.path == "/v1/sync/push":
            sent = [m["mutation_id"] for m in json.loads(request.content)["mutations"]]
            if self.mutation_id in sent:
                self.attempts += 1
                return httpx.Response(500, content=b"Internal Server Error", request=request)
        return send(request)


def test_an_intent_the_server_keeps_failing_on_is_retried_three_times_then_shown(desks, relay):
    desk, other = desks("Reception"), desks("Manager laptop")
    before = book(desk, 4)
    poison = book(desk, 5)
    after = book(desk, 6)
    seq, mutation_id = queued(desk)[poison.booking.id]
    relay.fault = fails_on = FailsOn(mutation_id)

    first_three = [desk.engine.sync_once() for _ in range(3)]
    tried = fails_on.attempts
    theirs = book(other, 7)
    other.engine.sync_once()
    later = [desk.engine.sync_once() for _ in range(3)]

    assert all(s.state is SyncState.NEEDS_ATTENTION for s in first_three + later)
    assert "error 500" in first_three[0].detail
    assert f"failed on change #{seq} (create booking) 3 times in a row" in later[-1].detail
    assert "stopped sending it and the 1 after it" in later[-1].detail
    assert fails_on.attempts == tried  # nothing more was sent once it was given up
    assert before.booking.id not in queued(desk)
    assert set(queued(desk)) == {poison.booking.id, after.booking.id}
    assert theirs.booking.id in desk.bookings()


def test_a_restarted_desk_tries_the_stuck_intent_again(desks, relay, http):
    desk = desks()
    poison = book(desk, 5)
    relay.fault = FailsOn(queued(desk)[poison.booking.id][1])
    for _ in range(4):
        desk.engine.sync_once()
    relay.fault = None

    restarted = SyncDesk.attach(desk.path, desk.store, http, desk.clock)

    assert restarted.engine.sync_once().state is SyncState.UP_TO_DATE
    assert restarted.pending() == 0


def test_a_server_that_is_down_for_a_while_gives_up_on_no_intent(desks, relay):
    desk = desks()
    book(desk, 4)
    relay.fault = answer_with(500, b"Internal Server Error")

    down = [desk.engine.sync_once() for _ in range(5)]
    relay.fault = None
    back = desk.engine.sync_once()

    assert all("error 500" in s.detail for s in down)
    assert back.state is SyncState.UP_TO_DATE and back.pending == 0
