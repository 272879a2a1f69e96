"""Forgetting a guest at their request, on the real server over HTTP: who they were and
every word about them gone from every table, the covers and the money kept, the audit
chains still verifying, every desk told, and nothing written back by a desk later."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update

from app import protocol as p
from app.domain.permissions import Role
from server.audit_log import record, server_chain, verify_server_chain
from server.payments.models import DepositRequest
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import AuditEvent, Customer
from tests.server.desk_chains import broken_desk_chains
from tests.server.every_table import every_table_as_text
from tests.server.harness import EVENING, NOW, TABLE, VENUE_ID
from tests.server.test_cli import run
from tests.server.test_guest_data import ADA, GRACE, a_night_of_two_guests, ask, book

TRACES = ("Ada", "911123456", "ada@example.org", "Running ten minutes late", "sister", "flight")


def erase(server, role=Role.ADMIN, **key):
    return server.client.post(
        "/v1/guests/erase", json=key, headers=server.headers(server.tokens[role])
    )


def the_database_as_text(server) -> str:
    with server.app.state.sessions() as session:
        return every_table_as_text(session)


def cancel(desk, intent):
    booking_id = uuid.UUID(intent["entity_id"])
    seen = desk.bookings()[intent["entity_id"]]["version"]
    cancelled = desk.intent(
        p.IntentName.CANCEL, booking_id, {"reason": "guest cancelled"}, base_version=seen
    )
    done = desk.push_one(cancelled)
    assert done["outcome"] == "applied", done


def settled_night(server):
    """Ada's night as a_night_of_two_guests leaves it, her bookings since cancelled, a
    conflict over Grace's table, a cash deposit noted, and a server event about her."""
    desk = server.desk()
    first, again, refused, grace = a_night_of_two_guests(server, desk)
    clash, outcome = book(desk, ADA, 7)  # Grace's table at Grace's time
    assert outcome["outcome"] == "conflict", outcome
    for intent in (first, again, clash):
        cancel(desk, intent)
    with server.app.state.sessions() as session, session.begin():
        session.add(
            DepositLedgerEntry(
                id=uuid.uuid4(), venue_id=VENUE_ID, booking_id=uuid.UUID(first["entity_id"]),
                kind="payment_in_person", amount_pence=2500, currency="GBP", method="cash",
                note="Paid by Ada's sister", staff_id=server.staff[Role.MANAGER].id,
                staff_name="Manager Person", device_id=None, recorded_at=NOW, version=0,
            )
        )  # fmt: skip
        session.add(
            DepositRequest(
                id=uuid.uuid4(), venue_id=VENUE_ID, booking_id=uuid.UUID(first["entity_id"]),
                amount_pence=2500, currency="GBP", status="done", link_minutes=0,
                requested_by="Manager Person", staff_id=server.staff[Role.MANAGER].id,
                requested_at=NOW, kind="refund", reason="Ada's flight was cancelled",
                provider_ref="re_123", version=0,
            )
        )  # fmt: skip
        record(
            session, VENUE_ID, event_id=uuid.uuid4(), at=NOW, action="offer_reply",
            entity="booking", entity_id=uuid.UUID(first["entity_id"]), before=None,
            after={"booking_id": first["entity_id"], "text": "Yes please, Ada"},
        )  # fmt: skip
    return first, again, refused, grace


def test_an_erased_guest_leaves_no_trace_of_who_they_were_in_anything_the_server_holds(server):
    first, again, refused, _ = settled_night(server)

    done = erase(server, phone="07911 123456")

    assert done.status_code == 200, done.text
    assert done.json()["rows"]["bookings"] == 3
    everything = the_database_as_text(server)
    for trace in TRACES:
        assert trace not in everything, everything[everything.find(trace) - 300 :][:400]
    kept = ask(server, reference=first["args"]["reference"])
    assert kept.status_code == 200, kept.text
    tables = kept.json()["tables"]
    assert [(c["name"], c["phone"], c["email"]) for c in tables["customers"]] == [
        ("Erased guest", "", None)
    ]
    assert tables["customer_consents"] == []
    # What the night's figures count is kept: the party, the time, the table, the status.
    assert sorted((b["party_size"], b["status"], b["start"]) for b in tables["bookings"]) == sorted(
        (2, "cancelled", x["args"]["start"]) for x in (first, again, first)
    )
    assert {m["recipient"] for m in tables["message_outbox"]} == {""}
    assert [r["from_number"] for r in tables["message_inbound"]] == [""]
    # The money is the accounts': its amount stays, the words about it go.
    assert [(e["amount_pence"], e["note"]) for e in tables["deposit_ledger"]] == [(2500, "")]
    assert [
        (r["amount_pence"], r["reason"], r["provider_ref"]) for r in tables["deposit_requests"]
    ] == [(2500, "", "re_123")]
    assert [r["id"] for r in tables["refusals"]] == [refused["mutation_id"]]


def test_the_other_guest_in_a_conflict_with_the_erased_one_keeps_every_word(server):
    *_, grace = settled_night(server)
    before = ask(server, reference=grace["args"]["reference"]).json()["tables"]

    erase(server, phone=ADA["phone"])

    after = ask(server, reference=grace["args"]["reference"]).json()["tables"]
    assert after["customers"] == before["customers"]
    assert after["bookings"] == before["bookings"]
    assert after["message_outbox"] == before["message_outbox"]
    assert after["conflicts"] == before["conflicts"]


def test_every_desk_pulls_the_erased_record_and_bookings(server):
    first, *_ = settled_night(server)
    other = server.desk("Bar")

    erase(server, email="ADA@example.org")

    changes, _ = other.pull_all()
    [guest] = [c["data"] for c in changes if c["entity"] == "customer" and c["id"] == ADA["id"]]
    booking = other.bookings()[first["entity_id"]]
    assert (guest["name"], guest["phone"], guest["email"], guest["notes"]) == (
        "Erased guest", "", None, ""
    )  # fmt: skip
    assert booking["special_requests"] == ""
    assert booking["party_size"] == 2


def test_a_desk_that_writes_the_erased_guest_again_later_is_refused_in_words(server):
    settled_night(server)
    offline = server.desk("Bar")
    erase(server, phone=ADA["phone"])

    again = offline.create(4, start=EVENING + timedelta(days=7), customer=ADA)
    details = offline.intent(p.IntentName.UPSERT_CUSTOMER, uuid.UUID(ADA["id"]), ADA)
    outcomes = offline.push(again, details)["outcomes"]

    assert [o["outcome"] for o in outcomes] == ["rejected", "rejected"]
    assert "asked to be forgotten" in outcomes[0]["reason"]
    assert "Book them as a new guest" in outcomes[1]["reason"]
    with server.app.state.sessions() as session:
        assert session.get(Customer, uuid.UUID(ADA["id"])).name == "Erased guest"
    # The refusals every desk is shown keep what was refused, but nothing of her.
    everything = the_database_as_text(server)
    assert [t for t in TRACES if t in everything] == []


def test_a_desk_that_writes_words_on_her_booking_later_is_refused_and_keeps_none(server):
    first, *_ = settled_night(server)
    offline = server.desk("Bar")
    erase(server, phone=ADA["phone"])

    notes = {"notes": "Ada's sister paid the flight back"}
    edit = offline.intent(p.IntentName.EDIT_DETAILS, uuid.UUID(first["entity_id"]), notes)
    [outcome] = offline.push(edit)["outcomes"]

    assert outcome["outcome"] == "rejected" and "asked to be forgotten" in outcome["reason"]
    everything = the_database_as_text(server)
    assert [t for t in (*TRACES, "paid the flight back") if t in everything] == []
    # The refused change's audit event was kept scrubbed, and listed: both chains verify.
    with server.app.state.sessions() as session:
        assert verify_server_chain(session, VENUE_ID) is None
        assert broken_desk_chains(session, VENUE_ID) == []
        assert len(broken_desk_chains(session, VENUE_ID, listed=False)) > 0


def test_a_guest_with_a_booking_still_to_come_is_not_erased_and_nothing_changes(server):
    a_night_of_two_guests(server)
    before = ask(server, phone=ADA["phone"]).json()["tables"]

    refused = erase(server, phone=ADA["phone"])

    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Ada Lovelace still has bookings ")
    assert "Tue 02 Mar 19:00" in refused.json()["detail"]
    after = ask(server, phone=ADA["phone"]).json()["tables"]
    assert after["customers"] == before["customers"]
    assert after["bookings"] == before["bookings"]
    assert after["message_outbox"] == before["message_outbox"]


def test_the_audit_chains_still_verify_and_a_scrubbed_event_not_listed_is_caught(server):
    settled_night(server)
    ask(server, phone=GRACE["phone"])  # a server event the erasure does not touch

    erase(server, phone=ADA["phone"])

    with server.app.state.sessions() as session:
        assert verify_server_chain(session, VENUE_ID) is None
        [erased] = [e for e in server_chain(session, VENUE_ID) if e.action == "guest erased"]
        redacted = set(erased.after["redacted"])
        desk_events = session.scalars(
            select(AuditEvent).where(AuditEvent.device_id.is_not(None))
        ).all()
        assert redacted >= {str(e.id) for e in desk_events if e.entity_id.hex in str(e.after)}
        [offer] = [e for e in server_chain(session, VENUE_ID) if e.action == "offer_reply"]
        assert offer.after == {"booking_id": offer.entity_id, "text": ""}
    with server.app.state.sessions() as session, session.begin():
        # Someone edits a kept event by hand: the erasure does not list it, so it shows.
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.action == "guest's data given")
            .values(after={"asked_by": "nobody"})
        )
    with server.app.state.sessions() as session:
        broken = verify_server_chain(session, VENUE_ID)
    assert broken is not None and broken.reason == "its contents were changed"


def test_only_an_admin_may_erase_and_a_second_erasure_says_it_was_done(server):
    first, *_ = settled_night(server)

    refused = [erase(server, role, phone=ADA["phone"]) for role in (Role.RECEPTION, Role.MANAGER)]
    done = erase(server, phone=ADA["phone"])
    by_phone = erase(server, phone=ADA["phone"])
    by_reference = erase(server, reference=first["args"]["reference"])

    assert [r.status_code for r in refused] == [403, 403]
    assert done.status_code == 200
    assert by_phone.status_code == 404  # the phone is gone with her
    assert by_reference.status_code == 409
    assert "was erased already" in by_reference.json()["detail"]


def test_the_server_command_asks_for_yes_before_it_erases(server, seeded_url):
    settled_night(server)
    key = ("guest-erase", "--venue", str(VENUE_ID), "--phone", "07911 123456", "--by", "Dana")

    unsure = run(seeded_url, *key)
    with server.app.state.sessions() as session:
        kept = session.get(Customer, uuid.UUID(ADA["id"])).name
    sure = run(seeded_url, *key, "--yes")

    assert unsure.returncode == 1
    assert "cannot be undone; add --yes" in unsure.stderr
    assert kept == "Ada Lovelace"
    assert sure.returncode == 0, sure.stderr
    assert sure.stdout.startswith("Erased 1 guest record(s) found by phone +447911123456:")
    with server.app.state.sessions() as session:
        assert session.get(Customer, uuid.UUID(ADA["id"])).name == "Erased guest"


def test_grace_is_untouched_by_adas_erasure(server):
    settled_night(server)

    erase(server, phone=ADA["phone"])

    text = ask(server, phone=GRACE["phone"]).text
    assert "Grace Hopper" in text
    assert str(TABLE[7]) in text
