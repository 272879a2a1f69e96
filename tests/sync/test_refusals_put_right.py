"""Refused changes put right against the real server: retried once the cause is fixed,
amended, or discarded; counted truthfully meanwhile."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import DomainError, NotFound
from app.domain.permissions import Role, Staff
from app.services.booking_create import NewBooking
from app.services.refusals import Amendment
from app.sync.status import SyncState
from tests.sync.relay import cut
from tests.sync.test_push_and_pull import book
from tests.sync.world import EVENING, PASSWORD, TABLE, VENUE_ID, SyncDesk, server_sql

KIM = Staff(str(uuid.uuid4()), "Kim Lowe", Role.RECEPTION)


def with_kim(desk: SyncDesk) -> Staff:
    """A receptionist added on this desk only: the server does not know her yet."""
    with desk.store.unit_of_work() as uow:
        uow.staff.add(KIM, str(VENUE_ID), "kim", None)
        uow.commit()
    return KIM


def kim_books(desk: SyncDesk, tables: list[int]) -> list[str]:
    made = []
    for n, table in enumerate(tables):
        result = desk.desk.create.create_booking(
            KIM,
            NewBooking(
                name=f"Guest {n}",
                phone=f"0113 496 0{n:03d}",
                party_size=2,
                start=EVENING,
                duration_minutes=120,
                table_ids=(str(TABLE[table]),),
            ),
        )
        made.append(result.booking.id)
    return made


def sam(desk: SyncDesk) -> Staff:
    return next(s for s in desk.desk.auth.staff() if s.name == "Sam Reid")


def kim_on_the_server(http) -> None:
    """An admin (jo) adds kim on the server, over HTTP, as the staff screen does."""
    login = http.post(
        "/v1/auth/login",
        json={"venue_id": str(VENUE_ID), "username": "jo", "password": PASSWORD},
    )
    token = login.json()["token"]
    answer = http.post(
        "/v1/staff",
        json={"username": "kim", "name": "Kim Lowe", "role": "reception", "password": PASSWORD},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 201, answer.text


def refused_night(desks) -> tuple[SyncDesk, list[str]]:
    reception = desks("Reception")
    reception.engine.sync_once()
    with_kim(reception)
    made = kim_books(reception, [1, 2, 3, 4, 5, 6])
    reception.engine.sync_once()
    return reception, made


def server_bookings(sync_db) -> dict[str, tuple[str, int]]:
    rows = server_sql(sync_db, "SELECT id, status, cardinality(table_ids) FROM bookings")
    return {str(i): (s, n) for i, s, n in rows}


def test_bookings_refused_for_an_unknown_staff_member_are_counted_and_shown_as_refused(desks):
    reception, made = refused_night(desks)

    status = reception.engine.monitor.status
    refusals = reception.desk.refusals.open()
    listed = {v.booking.id: v for v in reception.desk.queries.bookings_on(EVENING.date())}

    assert status.state is SyncState.NEEDS_ATTENTION
    assert status.refusals == 6 and status.open_conflicts == 0
    assert [r.booking_id for r in refusals] == made
    assert all("Staff member" in r.reason and r.creation for r in refusals)
    for booking_id in made:
        assert listed[booking_id].refused.startswith("Staff member")
        assert listed[booking_id].booking.table_ids == ()


def test_acknowledging_a_refused_new_booking_does_not_hide_it(desks):
    reception, _made = refused_night(desks)

    reception.desk.refusals.acknowledge([r.device_seq for r in reception.desk.refusals.open()])

    assert len(reception.desk.refusals.open()) == 6
    assert reception.engine.monitor.status.refusals == 6


def test_retrying_after_the_staff_member_exists_on_the_server_applies_every_booking(
    desks, http, sync_db
):
    reception, made = refused_night(desks)
    kim_on_the_server(http)
    reception.engine.sync_once()
    by = sam(reception)

    said = [reception.desk.refusals.retry(by, r.device_seq) for r in reception.desk.refusals.open()]
    queued = reception.pending()
    reception.engine.sync_once()

    assert queued == 12, "each retry, and the word to the other desks that it was dealt with"
    assert said[0].message.startswith("Sent again: New booking for Guest 0, party of 2")
    on_server = server_bookings(sync_db)
    for booking_id in made:
        assert on_server[booking_id] == (BookingStatus.CONFIRMED.value, 1)
        assert reception.bookings()[booking_id]["status"] == BookingStatus.CONFIRMED
    status = reception.engine.monitor.status
    assert status.state is SyncState.UP_TO_DATE and status.refusals == 0
    assert reception.desk.refusals.open() == []


def test_a_retry_is_a_new_intent_not_the_refused_bytes(desks):
    reception, made = refused_night(desks)
    [first, *_] = reception.desk.refusals.open()
    with sqlite3.connect(reception.path) as conn:
        old_id, old_body = conn.execute(
            "SELECT mutation_id, body FROM sync_outcome WHERE device_seq = ?", (first.device_seq,)
        ).fetchone()

    reception.desk.refusals.retry(sam(reception), first.device_seq)

    with sqlite3.connect(reception.path) as conn:
        seq, mutation_id, body = conn.execute(
            "SELECT device_seq, mutation_id, body FROM outbox"
        ).fetchone()
    assert seq > first.device_seq and mutation_id != old_id and body != old_body
    assert made[0] in body and '"fencing_token"' not in body


def test_a_retry_that_would_be_refused_again_here_says_why_and_changes_nothing(desks, relay):
    reception, _made = refused_night(desks)
    refused = reception.desk.refusals.open()[0]
    relay.fault = cut
    book(reception, 1, name="Grace Hopper")
    before = reception.bookings()

    with pytest.raises(DomainError, match="Table 1"):
        reception.desk.refusals.retry(sam(reception), refused.device_seq)

    assert reception.bookings() == before
    assert reception.pending() == 1
    assert len(reception.desk.refusals.open()) == 6


def test_amending_a_refused_booking_sends_it_with_the_new_time_and_table(desks, http, sync_db):
    reception, made = refused_night(desks)
    kim_on_the_server(http)
    refused = reception.desk.refusals.open()[0]
    later = EVENING + timedelta(hours=1)

    said = reception.desk.refusals.amend(
        sam(reception),
        refused.device_seq,
        Amendment(start=later, table_ids=(str(TABLE[9]),), party_size=4),
    )
    reception.engine.sync_once()

    assert said.message.startswith("Amended and sent again")
    booking = reception.bookings()[made[0]]
    assert (booking["start"], booking["party_size"]) == (later, 4)
    assert booking["table_ids"] == [str(TABLE[9])]
    assert server_bookings(sync_db)[made[0]] == (BookingStatus.CONFIRMED.value, 1)


def test_discarding_a_refused_booking_takes_it_off_the_desk_and_records_who(desks):
    reception, made = refused_night(desks)
    refused = reception.desk.refusals.open()[0]
    alex = reception.staff(Role.MANAGER)

    said = reception.desk.refusals.discard(alex, refused.device_seq)

    assert said.message == "Discarded: New booking for Guest 0, party of 2."
    assert made[0] not in reception.bookings()
    assert reception.engine.monitor.status.refusals == 5
    with sqlite3.connect(reception.path) as conn:
        how, who, body = conn.execute(
            "SELECT settled_as, settled_by, body FROM sync_outcome WHERE device_seq = ?",
            (refused.device_seq,),
        ).fetchone()
    assert (how, who) == ("discarded", f"Alex Moore ({alex.id})")
    assert "Guest 0" in body
    with pytest.raises(DomainError, match="already dealt with"):
        reception.desk.refusals.retry(alex, refused.device_seq)


def test_a_refusal_number_that_does_not_exist_is_refused_by_name(desks):
    reception, _ = refused_night(desks)

    with pytest.raises(NotFound, match="no refused change #999"):
        reception.desk.refusals.discard(reception.staff(Role.MANAGER), 999)


def test_a_refused_move_retried_once_its_author_exists_on_the_server_is_applied(
    desks, http, sync_db
):
    reception = desks("Reception")
    ours = book(reception, 7, name="Ada Lovelace", party=4)
    reception.engine.sync_once()
    kim = with_kim(reception)
    reception.desk.edits.move(kim, ours.booking.id, (str(TABLE[8]),))
    reception.engine.sync_once()
    [refused] = reception.desk.refusals.open()
    undone = reception.bookings()[ours.booking.id]["table_ids"]
    kim_on_the_server(http)
    reception.engine.sync_once()

    said = reception.desk.refusals.retry(kim, refused.device_seq)
    reception.engine.sync_once()

    assert refused.what.startswith("Move of booking") and refused.booking_id == ours.booking.id
    assert undone == [str(TABLE[7])]
    assert said.message.startswith("Sent again: Move of booking")
    assert reception.bookings()[ours.booking.id]["table_ids"] == [str(TABLE[8])]
    rows = server_sql(sync_db, "SELECT table_ids FROM bookings WHERE id = %s", ours.booking.id)
    assert [str(t) for t in rows[0][0]] == [str(TABLE[8])]
    assert reception.engine.monitor.status.state is SyncState.UP_TO_DATE


def test_a_refused_move_of_a_booking_since_completed_is_not_retried_and_says_why(desks):
    from tests.sync.test_refusals import refused_move_and_area

    manager, _ = refused_move_and_area(desks)
    move, area = manager.desk.refusals.open()
    before = manager.bookings()

    with pytest.raises(DomainError, match="cannot be moved"):
        manager.desk.refusals.retry(manager.staff(Role.MANAGER), move.device_seq)

    assert area.retry_blocked is not None and "cannot be sent again" in area.retry_blocked
    assert manager.bookings() == before and manager.pending() == 0


def test_a_refused_spend_retried_once_its_author_exists_on_the_server_is_recorded(
    desks, http, sync_db
):
    reception = desks("Reception")
    ours = book(reception, 7, name="Ada Lovelace", party=4)
    reception.desk.lifecycle.seat(reception.staff(Role.RECEPTION), ours.booking.id)
    reception.engine.sync_once()
    kim = with_kim(reception)
    reception.desk.spend.record(kim, ours.booking.id, "120.50")
    reception.engine.sync_once()
    [refused] = reception.desk.refusals.open()
    undone = reception.bookings()[ours.booking.id]["spend_pence"]
    kim_on_the_server(http)
    reception.engine.sync_once()

    said = reception.desk.refusals.retry(kim, refused.device_seq)
    reception.engine.sync_once()

    assert refused.retry_blocked is None and undone is None
    assert said.message.startswith("Sent again: Spend recorded for booking")
    assert reception.bookings()[ours.booking.id]["spend_pence"] == 12050
    rows = server_sql(sync_db, "SELECT spend_pence FROM bookings WHERE id = %s", ours.booking.id)
    assert rows == [(12050,)]
    assert reception.engine.monitor.status.state is SyncState.UP_TO_DATE


def test_a_refused_package_removal_is_not_sent_again_once_the_package_is_gone(desks, http):
    reception = desks("Reception")
    ours = book(reception, 7, name="Ada Lovelace", party=4)
    manager = reception.staff(Role.MANAGER)
    reception.desk.edits.edit_details(manager, ours.booking.id, package_id="prosecco")
    reception.engine.sync_once()
    kim = with_kim(reception)
    reception.desk.edits.edit_details(kim, ours.booking.id, package_id="")
    reception.engine.sync_once()
    [refused] = reception.desk.refusals.open()
    reception.desk.edits.edit_details(manager, ours.booking.id, package_id="")
    kim_on_the_server(http)
    reception.engine.sync_once()
    waiting = reception.pending()

    with pytest.raises(DomainError, match="already has these details; there is nothing to send"):
        reception.desk.refusals.retry(kim, refused.device_seq)

    assert reception.bookings()[ours.booking.id]["package_id"] is None
    assert reception.pending() == waiting == 0
