"""A guest's request for their data, answered by the venue's admin over HTTP: everything
the server holds about them, nothing about anyone else, and the answer recorded."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from sqlalchemy import select

from app.domain.audit import verify_chain
from app.domain.permissions import Role
from app.domain.references import format_reference
from server.audit_log import server_chain
from server.db import Base
from server.guests.data import NOT_ABOUT_GUESTS, SECTIONS
from server.messages.models import InboundSms, Suppression
from server.sync.models import Refusal
from tests.server.harness import NOW, TABLE, VENUE_ID
from tests.server.test_cli import run

ADA = {
    "id": str(uuid.uuid4()),
    "name": "Ada Lovelace",
    "phone": "+447911123456",
    "email": "ada@example.org",
}
GRACE = {
    "id": str(uuid.uuid4()),
    "name": "Grace Hopper",
    "phone": "+447911123999",
    "email": "grace@example.org",
}


def book(desk, guest, *tables, **extra):
    # The audit event sealed with the intent holds the same guest and words, as a desk's.
    words = f"{guest['name']} asks for the corner"
    intent = desk.create(*tables, customer=guest, special_requests=words, **extra)
    outcome = desk.push_one(intent)
    return intent, outcome


def ask(server, role=Role.ADMIN, **key):
    return server.client.post(
        "/v1/guests/data", json=key, headers=server.headers(server.tokens[role])
    )


def a_night_of_two_guests(server, desk=None):
    """Ada books twice (once refused, on a table that does not exist), texts the venue and
    asked for no more texts; Grace books once."""
    desk = desk or server.desk()
    first, _ = book(desk, ADA, 3)
    again, _ = book(desk, ADA, 4, start=NOW + timedelta(days=2, hours=4))
    refused = desk.create(5, customer=ADA, table_ids=[str(uuid.uuid4())])
    assert desk.push_one(refused)["outcome"] == "rejected"
    grace, _ = book(desk, GRACE, 7)
    with server.app.state.sessions() as session, session.begin():
        session.add(
            InboundSms(
                message_sid="SM-ada-1",
                venue_id=VENUE_ID,
                booking_id=uuid.UUID(first["entity_id"]),
                from_number=ADA["phone"],
                body="Running ten minutes late, sorry!",
                action="none",
                why="not a 1 or a 9",
                received_at=NOW,
                version=0,
            )
        )
        session.add(
            Suppression(
                venue_id=VENUE_ID, channel="sms", recipient=ADA["phone"], reason="STOP", since=NOW
            )
        )
    return first, again, refused, grace


def test_every_table_of_the_server_is_either_searched_for_a_guest_or_says_why_not():
    searched, not_searched = set(SECTIONS), set(NOT_ABOUT_GUESTS)

    assert searched.isdisjoint(not_searched)
    assert searched | not_searched == set(Base.metadata.tables)


def test_an_admin_asking_by_the_phone_as_typed_gets_everything_held_about_that_guest(server):
    first, again, refused, _ = a_night_of_two_guests(server)

    answer = ask(server, phone="07911 123456")

    assert answer.status_code == 200, answer.text
    data = answer.json()
    tables = data["tables"]
    assert [c["name"] for c in tables["customers"]] == ["Ada Lovelace"]
    assert {b["reference"] for b in tables["bookings"]} == {
        first["args"]["reference"],
        again["args"]["reference"],
    }
    assert {b["special_requests"] for b in tables["bookings"]} == {
        "Ada Lovelace asks for the corner"
    }
    assert {t["table_id"] for t in tables["booking_tables"]} == {str(TABLE[3]), str(TABLE[4])}
    # The words sent to her, which no desk holds, and her reply.
    confirmations = [m for m in tables["message_outbox"] if m["template"] == "booking_created"]
    assert {m["recipient"] for m in confirmations} == {"+447911123456", "ada@example.org"}
    assert all(m["body"] for m in confirmations)
    assert [r["body"] for r in tables["message_inbound"]] == ["Running ten minutes late, sorry!"]
    assert [s["reason"] for s in tables["message_suppressions"]] == ["STOP"]
    # The booking the server refused never became a row; it is still hers.
    assert [r["id"] for r in tables["refusals"]] == [refused["mutation_id"]]
    assert {e["entity_id"] for e in tables["audit_events"]} >= {
        first["entity_id"],
        again["entity_id"],
    }
    assert set(tables) == set(SECTIONS)


def test_the_answer_names_nobody_else(server):
    *_, grace = a_night_of_two_guests(server)

    text = ask(server, phone="+447911123456").text

    for trace in ("Grace", "911123999", "grace@example.org", grace["args"]["reference"]):
        assert trace not in text


def test_a_guest_is_found_by_their_email_in_any_case_or_by_a_reference_as_read_out(server):
    first, *_ = a_night_of_two_guests(server)
    spoken = format_reference(first["args"]["reference"]).lower().replace("-", " ")

    by_email = ask(server, email="ADA@example.org").json()
    by_reference = ask(server, reference=spoken).json()

    assert by_email["guest_ids"] == by_reference["guest_ids"]
    assert len(by_email["tables"]["bookings"]) == 2
    assert by_reference["found_by"] == "reference"


def test_only_an_admin_may_ask_and_a_desk_token_may_not(server):
    a_night_of_two_guests(server)
    desk = server.desk()

    refused = [ask(server, role, phone=ADA["phone"]) for role in (Role.RECEPTION, Role.MANAGER)]
    by_desk = server.client.post(
        "/v1/guests/data", json={"phone": ADA["phone"]}, headers=desk.headers
    )

    assert [r.status_code for r in refused] == [403, 403]
    assert "answer a guest's request for their data" in refused[0].json()["detail"]
    assert by_desk.status_code == 403
    assert given_events(server) == []


def test_a_request_naming_no_guest_or_a_bad_key_is_refused_in_words_and_recorded_nowhere(server):
    a_night_of_two_guests(server)

    nobody = ask(server, phone="07911 123457")
    two_keys = ask(server, phone=ADA["phone"], email=ADA["email"])
    no_key = ask(server)
    not_a_phone = ask(server, phone="call me")
    misheard = ask(server, reference="ABCD-EFGH-JKM")

    assert nobody.status_code == 404
    assert nobody.json()["detail"] == "No guest of The Backroom has the phone +447911123457."
    assert two_keys.status_code == no_key.status_code == 400
    assert "(this request gave 2)" in two_keys.json()["detail"]
    assert "(this request gave none)" in no_key.json()["detail"]
    assert not_a_phone.status_code == 400
    assert "'call me' is not a phone number." in not_a_phone.json()["detail"]
    assert misheard.status_code == 400
    assert given_events(server) == []


def test_each_answer_is_kept_in_the_venues_audit_log_with_who_asked_and_not_the_phone(server):
    a_night_of_two_guests(server)

    ask(server, phone=ADA["phone"])

    [given] = given_events(server)
    assert given.after == {"asked_by": "Admin Person", "found_by": "phone"}
    assert ADA["phone"] not in json.dumps(given.after)
    with server.app.state.sessions() as session:
        assert verify_chain(server_chain(session, VENUE_ID)) is None


def test_a_guest_saved_twice_under_one_phone_gets_both_records_each_kept_as_given(server):
    desk = server.desk()
    book(desk, ADA, 3)
    book(desk, {**ADA, "id": str(uuid.uuid4()), "name": "Ada L."}, 4)

    data = ask(server, phone=ADA["phone"]).json()

    assert sorted(c["name"] for c in data["tables"]["customers"]) == ["Ada L.", "Ada Lovelace"]
    assert len(data["tables"]["bookings"]) == 2
    assert sorted(e.entity_id for e in given_events(server)) == sorted(data["guest_ids"])


def given_events(server):
    with server.app.state.sessions() as session:
        return [e for e in server_chain(session, VENUE_ID) if e.action == "guest's data given"]


def test_a_refusal_kept_for_a_desk_is_found_by_the_guests_email_inside_its_words(server):
    desk = server.desk()
    odd = {**ADA, "email": "o_brien%@example.org"}
    refused = desk.create(5, customer=odd, table_ids=[str(uuid.uuid4())])
    desk.push_one(refused)
    book(desk, {**ADA, "email": "o_brien%@example.org"}, 3)
    # A near miss: only a LIKE pattern left unescaped would take it for hers.
    near_guest = {**GRACE, "email": "oxbrienx@example.org"}
    near = desk.create(6, customer=near_guest, table_ids=[str(uuid.uuid4())])
    desk.push_one(near)

    tables = ask(server, email="o_brien%@example.org").json()["tables"]

    with server.app.state.sessions() as session:
        assert session.scalar(
            select(Refusal.id).where(Refusal.id == uuid.UUID(near["mutation_id"]))
        )
    assert [r["id"] for r in tables["refusals"]] == [refused["mutation_id"]]


def test_the_server_command_writes_the_answer_to_a_new_file_only_its_owner_can_read(
    server, seeded_url, tmp_path
):
    a_night_of_two_guests(server)
    out = tmp_path / "ada.json"
    key = ("guest-data", "--venue", str(VENUE_ID), "--phone", "07911 123456")

    written = run(seeded_url, *key, "--by", "Dana (admin)", "--out", str(out))
    again = run(seeded_url, *key, "--by", "Dana (admin)", "--out", str(out))
    nobody = run(seeded_url, *key[:-1], "07911 123457", "--by", "Dana (admin)")
    nowhere = run(seeded_url, *key, "--by", "Sam", "--out", str(tmp_path / "no" / "a.json"))

    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "found by phone +447911123456 to" in written.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    data = json.loads(out.read_text())
    assert [c["name"] for c in data["tables"]["customers"]] == ["Ada Lovelace"]
    assert data["made_by"] == "Dana (admin)"
    # The same in words beside it, for the guest to read; just as private.
    page = tmp_path / "ada.txt"
    assert f"and in words to {page}" in written.stderr
    assert page.read_text() == data["summary"]
    assert page.stat().st_mode & 0o777 == 0o600
    assert "  Name: Ada Lovelace\n" in data["summary"] and "Grace" not in data["summary"]
    assert "Running ten minutes late" in data["summary"]
    assert again.returncode == 1
    assert "exists already" in again.stderr
    assert nobody.returncode == 1
    assert "No guest of The Backroom has the phone +447911123457." in nobody.stderr
    assert nowhere.returncode == 1 and "Traceback" not in nowhere.stderr
    assert "a.json could not be written (No such file or directory)." in nowhere.stderr
    # Only the answer that was written is recorded as given.
    assert [e.after["asked_by"] for e in given_events(server)] == ["Dana (admin)"]
