"""A guest erased on the server is forgotten on every desk: the real desks' files, their
sync code and the real server; the oracle is the whole desk file read as text."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.models.audit_check import check_audit
from app.services.booking_create import NewBooking
from app.services.review import NightReviews
from tests.sync.test_staff_sync import admin_token
from tests.sync.world import EVENING, TABLE

PHONE = "07911 123456"
TRACES = ("Ada Lovelace", "7911123456", "ada@example.org", "Nut allergy", "Her 30th")


def book_ada(desk):
    return desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace", phone=PHONE, email="ada@example.org", party_size=4,
            start=EVENING, duration_minutes=120, table_ids=(str(TABLE[7]),),
            special_requests="Nut allergy", occasion="Her 30th",
        ),
    ).booking  # fmt: skip


def erase_on_the_server(http, **key) -> None:
    erased = http.post(
        "/v1/guests/erase", json=key, headers={"Authorization": f"Bearer {admin_token(http)}"}
    )
    assert erased.status_code == 200, erased.text


def the_file_as_text(desk) -> str:
    with sqlite3.connect(desk.path) as conn:
        return "\n".join(conn.iterdump())


def test_a_guest_erased_on_the_server_leaves_nothing_of_her_in_any_desks_file(desks, http):
    reception, bar = desks("Reception"), desks("Bar")
    booking = book_ada(reception)
    reception.engine.sync_once()
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), booking.id, "guest cancelled")
    reception.engine.sync_once()
    bar.engine.sync_once()
    assert "Nut allergy" in the_file_as_text(bar)

    erase_on_the_server(http, phone=PHONE)
    reception.engine.sync_once()
    bar.engine.sync_once()

    for desk in (reception, bar):
        text = the_file_as_text(desk)
        for trace in TRACES:
            assert trace not in text, (desk.path.name, trace)
        with desk.store.read() as reader:
            guest = reader.customers.get(booking.customer_id)
            assert check_audit(reader.session).problems == []
        assert (guest.name, guest.phone, guest.email) == ("Erased guest", "", None)
        kept = desk.bookings()[booking.id]
        assert (kept["party_size"], kept["status"]) == (4, "cancelled")


def test_the_desks_history_of_the_booking_still_reads_after_the_erasure(desks, http):
    reception = desks("Reception")
    booking = book_ada(reception)
    reception.desk.lifecycle.cancel(reception.staff(Role.RECEPTION), booking.id, "guest cancelled")
    reception.engine.sync_once()

    erase_on_the_server(http, reference=booking.reference)
    reception.engine.sync_once()

    history = NightReviews(reception.store, reception.clock).history(
        reception.staff(Role.MANAGER), booking.id
    )
    assert history.guest == "Erased guest"
    assert [s.action for s in history.steps] == ["create booking", "cancel"]
    made = {c.field: c.after for c in history.steps[0].changes}
    assert made["party size"] == "4", made
    assert "special requests" not in made
    assert "Nut allergy" not in repr(history)


def a_note_on_her_waits_at_the_bar_while_she_is_erased(desks, http):
    """Ada's visit, completed and synced to both desks; the bar, offline, writes a note on
    it, and she is erased on the server before the note goes."""
    reception, bar = desks("Reception"), desks("Bar")
    booking = book_ada(reception)
    staff = reception.staff(Role.MANAGER)
    reception.desk.lifecycle.seat(staff, booking.id)
    reception.desk.lifecycle.complete(staff, booking.id)
    reception.engine.sync_once()
    bar.engine.sync_once()
    bar.desk.edits.edit_details(bar.staff(Role.MANAGER), booking.id, notes="Tipped well, Her 30th")
    erase_on_the_server(http, phone=PHONE)
    return reception, bar


def test_a_desk_offline_through_the_erasure_sends_its_note_on_her_and_keeps_nothing_of_it(
    desks, http
):
    reception, bar = a_note_on_her_waits_at_the_bar_while_she_is_erased(desks, http)

    bar.engine.sync_once()
    reception.engine.sync_once()

    with bar.store.read() as reader:
        [refused] = reader.refusals.unacknowledged()
    assert "asked to be forgotten" in refused.reason
    for desk in (reception, bar):
        text = the_file_as_text(desk)
        assert [t for t in (*TRACES, "Tipped well") if t in text] == [], desk.path.name


def test_a_desk_that_pulled_the_erasure_refuses_words_on_her_booking_at_once(desks, http):
    reception = desks("Reception")
    booking = book_ada(reception)
    staff = reception.staff(Role.MANAGER)
    reception.desk.lifecycle.seat(staff, booking.id)
    reception.desk.lifecycle.complete(staff, booking.id)
    reception.engine.sync_once()
    erase_on_the_server(http, phone=PHONE)
    reception.engine.sync_once()
    with reception.store.read() as reader:
        waiting = reader.outbox.count()

    with pytest.raises(DomainError, match="asked to be forgotten"):
        reception.desk.edits.edit_details(staff, booking.id, notes="Tipped well")

    with reception.store.read() as reader:
        assert reader.outbox.count() == waiting
    assert "Tipped well" not in the_file_as_text(reception)


def test_a_desk_that_pulled_the_erasure_before_its_own_note_got_through_keeps_nothing_of_it(
    desks, http
):
    _, bar = a_note_on_her_waits_at_the_bar_while_she_is_erased(desks, http)
    # Its pushes failing while its pulls work: the erasure arrives before its note goes.
    bar.engine.pull()

    bar.engine.sync_once()

    with bar.store.read() as reader:
        [refused] = reader.refusals.unacknowledged()
        assert check_audit(reader.session).problems == []
    assert "asked to be forgotten" in refused.reason
    assert [t for t in (*TRACES, "Tipped well") if t in the_file_as_text(bar)] == []


def test_a_booking_for_her_made_offline_and_refused_after_the_erasure_keeps_none_of_her_words(
    desks, http
):
    reception, bar = desks("Reception"), desks("Bar")
    booking = book_ada(reception)
    staff = reception.staff(Role.MANAGER)
    reception.desk.lifecycle.cancel(staff, booking.id, "guest cancelled")
    reception.engine.sync_once()
    bar.engine.sync_once()
    # Offline, the bar books her again as the returning guest she is on its desk.
    again = bar.desk.create.create_booking(
        bar.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace", phone=PHONE, party_size=2, start=EVENING + timedelta(days=7),
            duration_minutes=90, table_ids=(str(TABLE[7]),), special_requests="Window seat",
        ),
    ).booking  # fmt: skip
    assert again.customer_id == booking.customer_id
    erase_on_the_server(http, phone=PHONE)
    bar.engine.pull()

    bar.engine.sync_once()

    with bar.store.read() as reader:
        [refused] = reader.refusals.unacknowledged()
        assert check_audit(reader.session).problems == []
    assert "asked to be forgotten" in refused.reason
    kept = bar.bookings()[again.id]
    assert (kept["status"], kept["party_size"], kept["special_requests"]) == ("conflict", 2, "")
    assert [t for t in (*TRACES, "Window seat") if t in the_file_as_text(bar)] == []
