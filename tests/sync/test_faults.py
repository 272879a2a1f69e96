"""A server that misbehaves: the desk keeps working, keeps its outbox, and says what is wrong."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from app.domain.permissions import Role
from app.models.sync_tables import SyncOutcomeRow
from app.sync.status import SyncState
from tests.sync.relay import cut, lose_answer
from tests.sync.test_push_and_pull import book
from tests.sync.world import SyncDesk, server_sql


def answer_with(status: int, body: bytes, headers: dict[str, str] | None = None):
    def fault(request, send):
        return httpx.Response(status, content=body, headers=headers or {}, request=request)

    return fault


def time_out(request, send):
    raise httpx.ReadTimeout("timed out", request=request)


def truncated(request, send):
    answer = send(request)
    raise httpx.RemoteProtocolError(
        f"peer closed connection after {len(answer.content) // 2} bytes", request=request
    )


FAULTS = {
    "no network": (cut, SyncState.OFFLINE, "cannot be reached"),
    "a timeout": (time_out, SyncState.OFFLINE, "did not answer in time"),
    "a truncated body": (truncated, SyncState.OFFLINE, "broke off"),
    "a 500": (answer_with(500, b"Internal Server Error"), SyncState.NEEDS_ATTENTION, "error 500"),
    "garbage": (
        answer_with(200, b"<html>hello</html>", {"content-type": "text/html"}),
        SyncState.NEEDS_ATTENTION,
        "cannot read",
    ),
    "json of the wrong shape": (
        answer_with(200, b'{"changes": 7}', {"content-type": "application/json"}),
        SyncState.NEEDS_ATTENTION,
        "cannot read",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_server_leaves_the_desk_working_with_its_outbox_and_a_plain_message(
    desks, relay, fault
):
    desk = desks()
    book(desk, 4)
    relay.fault, state, words = FAULTS[fault]

    status = desk.engine.sync_once()
    another = book(desk, 5)

    assert status.state is state
    assert words in status.detail
    assert "1 change is saved on this desk" in status.detail
    assert desk.pending() == 2
    assert another.booking.id in desk.bookings()
    relay.fault = None
    assert desk.engine.sync_once().state is SyncState.UP_TO_DATE
    assert desk.pending() == 0


def test_an_answer_lost_after_the_server_committed_is_retried_without_a_second_booking(
    desks, relay, sync_db
):
    desk = desks()
    made = book(desk, 6)
    relay.fault = lose_answer

    lost = desk.engine.sync_once()
    relay.fault = None
    healed = desk.engine.sync_once()

    assert lost.state is SyncState.OFFLINE and lost.pending == 1
    assert healed.state is SyncState.UP_TO_DATE
    with desk.store.read() as reader:
        outcomes = [
            (o.device_seq, o.outcome) for o in reader.session.scalars(select(SyncOutcomeRow))
        ]
    assert outcomes == [(1, "applied")]
    found = server_sql(
        sync_db, "SELECT count(*) FROM bookings WHERE reference = %s", made.booking.reference
    )
    assert found == [(1,)]


def test_a_desk_killed_after_the_server_committed_its_push_resumes_without_loss_or_duplicates(
    desks, relay, http
):
    desk = desks()
    made = [book(desk, n) for n in (1, 2, 3)]
    relay.fault = lose_answer
    desk.engine.sync_once()
    desk.close()  # the desk dies before it hears the outcomes
    relay.fault = None

    again = SyncDesk.attach(desk.path, type(desk.store)(desk.path), http, desk.clock)
    status = again.engine.sync_once()

    assert status.state is SyncState.UP_TO_DATE
    assert {m.booking.id for m in made} <= set(again.bookings())
    with again.store.read() as reader:
        seqs = [o.device_seq for o in reader.session.scalars(select(SyncOutcomeRow))]
    assert seqs == [1, 2, 3]
    again.close()


def test_a_change_the_server_refuses_is_undone_on_the_desk_and_the_reason_shown(desks, relay):
    reception, manager = desks("Reception"), desks("Manager laptop")
    made = book(reception, 9, party=4)
    reception.engine.sync_once()
    manager.engine.sync_once()
    sam = reception.staff(Role.RECEPTION)
    reception.desk.lifecycle.seat(sam, made.booking.id)
    reception.desk.lifecycle.complete(sam, made.booking.id)
    reception.engine.sync_once()
    relay.fault = cut
    manager.desk.edits.move(manager.staff(Role.MANAGER), made.booking.id, (manager_table(10),))
    relay.fault = None

    status = manager.engine.sync_once()

    shown = manager.bookings()[made.booking.id]
    assert shown["status"] == "completed"
    assert shown["table_ids"] == [manager_table(9)]
    assert status.state is SyncState.NEEDS_ATTENTION
    assert "refused 1 change" in status.detail and "cannot be moved" in status.detail
    [refusal] = manager.desk.refusals.unacknowledged()
    assert refusal.what.startswith("Move of booking ") and "cannot be moved" in refusal.reason
    manager.desk.refusals.acknowledge([refusal.device_seq])
    assert manager.engine.monitor.status.state is SyncState.UP_TO_DATE


def manager_table(number: int) -> str:
    from tests.sync.world import TABLE

    return str(TABLE[number])


def test_a_desk_too_old_for_the_server_stops_syncing_keeps_its_outbox_and_says_update(desks, http):
    desk = desks()
    book(desk, 11, party=4)
    old = SyncDesk.attach(desk.path, desk.store, http, desk.clock)
    old.engine.api.headers["X-Backroom-Schema"] = "0"

    first = old.engine.sync_once()
    second = old.engine.sync_once()
    updated = SyncDesk.attach(desk.path, desk.store, http, desk.clock)
    after_update = updated.engine.sync_once()

    assert first.state is SyncState.UPDATE_REQUIRED and second == first
    assert "Update the desk" in first.detail and "1 change is saved" in first.detail
    assert first.pending == 1
    assert after_update.state is SyncState.UP_TO_DATE and after_update.pending == 0


def test_a_machine_without_a_keyring_is_told_so_and_the_desk_keeps_working(desks):
    import keyring
    from keyring.backends import fail

    desk = desks()
    keyring.set_keyring(fail.Keyring())

    status = desk.engine.sync_once()
    made = book(desk, 8)

    assert status.state is SyncState.NEEDS_ATTENTION
    assert "no secure password store" in status.detail
    assert made.booking.id in desk.bookings() and desk.pending() == 1


def test_a_desk_clock_that_jumps_a_day_either_way_changes_nothing_about_syncing(desks):
    from datetime import timedelta

    desk = desks()
    book(desk, 13)
    desk.clock.advance(hours=24)
    first = desk.engine.sync_once()
    desk.clock.advance(hours=-48)
    book(desk, 14)

    second = desk.engine.sync_once()

    assert first.state is second.state is SyncState.UP_TO_DATE
    assert desk.pending() == 0 and len(desk.bookings()) == 2
    assert second.last_synced is not None and second.last_synced < first.last_synced + timedelta(0)
