"""The server never loses either side: overlap, seated-wins, stale edits, cancel."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from app.domain.audit import seal
from app.domain.permissions import Role
from app.protocol import IntentName
from tests.server.harness import EVENING, TABLE


def conflicts(desk):
    answer = desk.server.client.get("/v1/conflicts", headers=desk.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_later_overlapping_booking_is_kept_as_a_conflict_naming_both(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    first = reception.create(7, party=4)
    later = bar.create(7, party=3, start=EVENING + timedelta(minutes=30))

    reception.push_one(first)
    outcome = bar.push_one(later)

    assert outcome["outcome"] == "conflict"
    assert "already taken" in outcome["reason"]
    bookings = bar.bookings()
    assert bookings[first["entity_id"]]["status"] == "confirmed"
    assert bookings[later["entity_id"]]["status"] == "conflict"
    [conflict] = conflicts(bar)
    assert conflict["id"] == outcome["conflict_id"]
    assert conflict["kind"] == "overlap"
    assert conflict["booking_id"] == later["entity_id"]
    assert conflict["other_booking_id"] == first["entity_id"]
    assert conflict["detail"]["mine"]["status"] == "confirmed"


def test_a_party_seated_offline_wins_over_a_reservation_which_is_flagged_to_move(server):
    reception, floor = server.desk("Reception"), server.desk("Floor")
    reservation = reception.create(7, party=4)
    walk_in = floor.create(7, party=2, status="seated", source="walk_in")
    reception.push_one(reservation)

    outcome = floor.push_one(walk_in)

    assert outcome["outcome"] == "applied"
    bookings = floor.bookings()
    assert bookings[walk_in["entity_id"]]["status"] == "seated"
    assert bookings[reservation["entity_id"]]["status"] == "conflict"
    [conflict] = conflicts(floor)
    assert conflict["booking_id"] == reservation["entity_id"]
    assert conflict["other_booking_id"] == walk_in["entity_id"]
    assert "must move" in conflict["detail"]["message"]


def test_a_stale_move_is_not_applied_and_both_tables_are_kept_in_the_conflict(server):
    reception, manager = server.desk("Reception"), server.desk("Office")
    create = reception.create(7, party=4)
    booking_id = uuid.UUID(create["entity_id"])
    seen = reception.push_one(create)["version"]
    move_args = {"start": EVENING.isoformat(), "duration_minutes": 120}
    reception.push_one(
        reception.intent(
            IntentName.MOVE_BOOKING,
            booking_id,
            {**move_args, "table_ids": [str(TABLE[8])]},
            base_version=seen,
            previous={"table_ids": [str(TABLE[7])]},
        )
    )

    outcome = manager.push_one(
        manager.intent(
            IntentName.MOVE_BOOKING,
            booking_id,
            {**move_args, "table_ids": [str(TABLE[9])]},
            base_version=seen,
            previous={"table_ids": [str(TABLE[7])]},
        )
    )

    assert outcome["outcome"] == "conflict"
    assert manager.bookings()[str(booking_id)]["table_ids"] == [str(TABLE[8])]
    [conflict] = conflicts(manager)
    assert conflict["kind"] == "stale_edit"
    assert conflict["detail"]["mine"]["table_ids"] == [str(TABLE[9])]
    assert conflict["detail"]["theirs"]["table_ids"] == [str(TABLE[8])]


def test_stale_edits_of_notes_merge_keeping_both_with_the_author(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    create = reception.create(7, party=4, notes="Window seat")
    booking_id = uuid.UUID(create["entity_id"])
    seen = reception.push_one(create)["version"]
    reception.push_one(
        reception.intent(
            IntentName.EDIT_DETAILS,
            booking_id,
            {"notes": "Window seat, birthday cake"},
            base_version=seen,
            previous={"notes": "Window seat"},
        )
    )

    outcome = bar.push_one(
        bar.intent(
            IntentName.EDIT_DETAILS,
            booking_id,
            {"notes": "Window seat, nut allergy"},
            base_version=seen,
            previous={"notes": "Window seat"},
        )
    )

    assert outcome["outcome"] == "merged"
    notes = bar.bookings()[str(booking_id)]["notes"]
    assert "birthday cake" in notes and "nut allergy" in notes
    assert bar.staff.name in notes


def test_an_edit_after_cancel_becomes_a_conflict_and_the_booking_stays_cancelled(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    create = reception.create(7, party=4)
    booking_id = uuid.UUID(create["entity_id"])
    seen = reception.push_one(create)["version"]
    reception.push_one(
        reception.intent(IntentName.CANCEL, booking_id, {"reason": "rang"}, base_version=seen)
    )

    outcome = bar.push_one(
        bar.intent(
            IntentName.EDIT_DETAILS,
            booking_id,
            {"party_size": 3},
            base_version=seen,
            previous={"party_size": 4},
        )
    )

    assert outcome["outcome"] == "conflict"
    assert bar.bookings()[str(booking_id)]["status"] == "cancelled"
    assert conflicts(bar)[0]["kind"] == "edit_after_cancel"


def test_an_illegal_status_move_is_rejected_with_the_reason(server):
    desk = server.desk()
    create = desk.create(7, party=4, status="pending")
    booking_id = uuid.UUID(create["entity_id"])
    desk.push_one(create)

    outcome = desk.push_one(desk.intent(IntentName.SET_STATUS, booking_id, {"status": "completed"}))

    assert outcome["outcome"] == "rejected"
    assert "cannot move from pending to completed" in outcome["reason"]
    assert desk.bookings()[str(booking_id)]["status"] == "pending"


def test_a_booking_on_a_table_too_small_is_kept_as_an_invalid_conflict(server):
    desk = server.desk()
    create = desk.create(1, party=6)

    outcome = desk.push_one(create)

    assert outcome["outcome"] == "conflict"
    assert "seats 1–2, not a party of 6" in outcome["reason"]
    assert desk.bookings()[create["entity_id"]]["status"] == "conflict"


def test_reception_may_not_edit_the_floor_plan_but_a_manager_may(server):
    reception = server.desk("Reception", role=Role.RECEPTION)
    office = server.desk("Office", role=Role.MANAGER)
    args = {
        "number": 17,
        "area_id": "aea1ec7f-7f6d-526e-b707-57947a683c1b",
        "min_covers": 2,
        "max_covers": 4,
        "x": 10.0,
        "y": 10.0,
        "width": 50.0,
        "height": 50.0,
    }

    refused = reception.push_one(reception.intent(IntentName.UPDATE_TABLE, uuid.uuid4(), args))
    allowed = office.push_one(office.intent(IntentName.UPDATE_TABLE, uuid.uuid4(), args))

    assert refused["outcome"] == "rejected"
    assert "may not edit the floor plan" in refused["reason"]
    assert allowed["outcome"] == "applied"


def test_an_overlap_resolved_by_moving_puts_the_booking_on_the_new_table(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    reception.push_one(reception.create(7, party=4))
    later = bar.create(7, party=3)
    conflict_id = bar.push_one(later)["conflict_id"]

    outcome = bar.push_one(
        bar.intent(
            IntentName.RESOLVE_CONFLICT,
            uuid.UUID(later["entity_id"]),
            {"conflict_id": conflict_id, "resolution": "move", "table_ids": [str(TABLE[8])]},
        )
    )
    again = reception.push_one(
        reception.intent(
            IntentName.RESOLVE_CONFLICT,
            uuid.UUID(later["entity_id"]),
            {"conflict_id": conflict_id, "resolution": "waitlist"},
        )
    )

    assert outcome["outcome"] == "applied"
    booking = bar.bookings()[later["entity_id"]]
    assert (booking["status"], booking["table_ids"]) == ("confirmed", [str(TABLE[8])])
    assert again["outcome"] == "rejected"
    assert "already resolved" in again["reason"]
    assert conflicts(bar) == []


def test_keeping_both_sides_is_a_managers_override(server):
    reception = server.desk("Reception", role=Role.RECEPTION)
    reception.push_one(reception.create(7, party=4))
    later = reception.create(7, party=3)
    conflict_id = reception.push_one(later)["conflict_id"]
    args = {"conflict_id": conflict_id, "resolution": "keep_both"}
    entity = uuid.UUID(later["entity_id"])

    refused = reception.push_one(reception.intent(IntentName.RESOLVE_CONFLICT, entity, args))
    allowed = reception.push_one(
        reception.intent(
            IntentName.RESOLVE_CONFLICT, entity, args, staff=server.staff[Role.MANAGER]
        )
    )

    assert refused["outcome"] == "rejected"
    assert "may not keep both sides" in refused["reason"]
    assert allowed["outcome"] == "applied"
    assert reception.bookings()[str(entity)]["status"] == "confirmed"


def test_a_rearrangement_swapping_two_bookings_passes_in_one_intent(server):
    desk = server.desk(role=Role.MANAGER)
    a, b = desk.create(7, party=4), desk.create(8, party=4)
    va, vb = desk.push_one(a)["version"], desk.push_one(b)["version"]
    moves = [
        {
            "booking_id": a["entity_id"],
            "base_version": va,
            "table_ids": [str(TABLE[8])],
        },
        {
            "booking_id": b["entity_id"],
            "base_version": vb,
            "table_ids": [str(TABLE[7])],
        },
    ]

    outcome = desk.push_one(desk.intent(IntentName.REARRANGE, uuid.uuid4(), {"moves": moves}))

    assert outcome["outcome"] == "applied", outcome
    bookings = desk.bookings()
    assert bookings[a["entity_id"]]["table_ids"] == [str(TABLE[8])]
    assert bookings[b["entity_id"]]["table_ids"] == [str(TABLE[7])]


def test_a_rearrangement_that_would_double_book_moves_nothing(server):
    desk = server.desk(role=Role.MANAGER)
    a, b = desk.create(7, party=4), desk.create(8, party=4)
    va, _ = desk.push_one(a)["version"], desk.push_one(b)["version"]
    moves = [
        {
            "booking_id": a["entity_id"],
            "base_version": va,
            "table_ids": [str(TABLE[8])],
        }
    ]

    outcome = desk.push_one(desk.intent(IntentName.REARRANGE, uuid.uuid4(), {"moves": moves}))

    assert outcome["outcome"] == "rejected"
    assert "two bookings on one table" in outcome["reason"]
    assert desk.bookings()[a["entity_id"]]["table_ids"] == [str(TABLE[7])]


def test_a_rearrangement_putting_two_of_its_own_bookings_on_one_table_moves_nothing(server):
    desk = server.desk(role=Role.MANAGER)
    a, b = desk.create(7, party=4), desk.create(8, party=4)
    va, vb = desk.push_one(a)["version"], desk.push_one(b)["version"]
    moves = [
        {"booking_id": a["entity_id"], "base_version": va, "table_ids": [str(TABLE[6])]},
        {"booking_id": b["entity_id"], "base_version": vb, "table_ids": [str(TABLE[6])]},
    ]

    outcome = desk.push_one(desk.intent(IntentName.REARRANGE, uuid.uuid4(), {"moves": moves}))

    assert outcome["outcome"] == "rejected"
    assert "two bookings on one table" in outcome["reason"]
    tables = {k: v["table_ids"] for k, v in desk.bookings().items()}
    assert tables[a["entity_id"]] == [str(TABLE[7])]
    assert tables[b["entity_id"]] == [str(TABLE[8])]


def _rearrange_back(desk, booking_id: str, seen: int, saw: int, to: int) -> dict:
    """Move a booking from table ``saw`` to ``to``, planned on version ``seen``."""
    moves = [{"booking_id": booking_id, "base_version": seen, "table_ids": [str(TABLE[to])]}]
    previous = {"moves": [{"booking_id": booking_id, "table_ids": [str(TABLE[saw])]}]}
    return desk.intent(IntentName.REARRANGE, uuid.uuid4(), {"moves": moves}, previous=previous)


def test_a_rearrangement_of_a_booking_its_own_desk_changed_while_offline_passes(server):
    # Offline: the booking made, a note added, then a walk-in's seating moves it. The
    # plan's base is the version the desk last heard of; only its own changes came since.
    desk = server.desk(role=Role.MANAGER)
    booking = desk.create(7, party=4)
    seen = desk.push_one(booking)["version"]
    note = desk.intent(
        IntentName.EDIT_DETAILS,
        uuid.UUID(booking["entity_id"]),
        {"notes": "Birthday"},
        base_version=seen,
        previous={"notes": ""},
    )
    assert desk.push_one(note)["outcome"] == "applied"

    outcome = desk.push_one(_rearrange_back(desk, booking["entity_id"], seen, saw=7, to=8))

    assert outcome["outcome"] == "applied", outcome
    assert desk.bookings()[booking["entity_id"]]["table_ids"] == [str(TABLE[8])]


def test_a_rearrangement_of_a_booking_another_desk_moved_moves_nothing(server):
    desk, other = server.desk(role=Role.MANAGER), server.desk("Bar", role=Role.MANAGER)
    booking = desk.create(7, party=4)
    seen = desk.push_one(booking)["version"]
    moved = other.intent(
        IntentName.MOVE_BOOKING,
        uuid.UUID(booking["entity_id"]),
        {"start": EVENING.isoformat(), "duration_minutes": 120, "table_ids": [str(TABLE[9])]},
        base_version=seen,
        previous={"table_ids": [str(TABLE[7])]},
    )
    assert other.push_one(moved)["outcome"] == "applied"

    outcome = desk.push_one(_rearrange_back(desk, booking["entity_id"], seen, saw=7, to=8))

    assert outcome["outcome"] == "rejected"
    assert "changed after this plan was made" in outcome["reason"]
    assert desk.bookings()[booking["entity_id"]]["table_ids"] == [str(TABLE[9])]


def test_an_intent_whose_audit_chain_was_tampered_with_is_rejected(server):
    desk = server.desk()
    intent = desk.create(7, party=4)
    intent["audit"][0]["staff_name"] = "Somebody Else"

    outcome = desk.push_one(intent)

    assert outcome["outcome"] == "rejected"
    assert "audit trail does not verify" in outcome["reason"]
    assert desk.bookings() == {}


def test_an_intent_by_a_deactivated_staff_member_is_rejected(server):
    desk = server.desk()
    gone, _ = server.add_staff(server.venue_id, Role.RECEPTION)
    server.client.post(
        f"/v1/staff/{gone.id}/deactivate", headers=server.headers(server.tokens[Role.ADMIN])
    )

    outcome = desk.push_one(desk.create(7, staff=gone))

    assert outcome["outcome"] == "rejected"
    assert "not an active member" in outcome["reason"]


def resealed_with_id(desk, intent, event_id: str):
    """The intent's audit event made again under another id (a desk that reuses ids)."""
    fields = {k: v for k, v in intent["audit"][0].items() if k != "hash"}
    fields["id"] = event_id
    fields["at"] = datetime.fromisoformat(fields["at"])
    event = seal(**fields)
    desk.audit_hash = event.hash
    intent["audit"][0] = {**intent["audit"][0], "id": event_id, "hash": event.hash}
    return intent


def test_an_intent_whose_audit_event_reuses_a_stored_id_is_rejected_and_the_desk_goes_on(server):
    first, second = server.desk("Reception"), server.desk("Laptop")
    made = first.create(7, party=4)
    first.push_one(made)
    reused = resealed_with_id(second, second.create(9, party=4), made["audit"][0]["id"])

    refused = second.push_one(reused)
    next_one = second.push_one(second.create(10, party=4))

    assert refused["outcome"] == "rejected"
    assert "reuses an id already recorded" in refused["reason"]
    assert next_one["outcome"] == "applied"


def test_an_intent_whose_audit_events_share_an_id_is_rejected(server):
    desk = server.desk()
    intent = desk.create(7, party=4)
    intent["audit"].append(dict(intent["audit"][0]))

    outcome = desk.push_one(intent)

    assert outcome["outcome"] == "rejected"
    assert desk.bookings() == {}


def test_an_intent_claiming_to_have_seen_a_version_the_server_never_made_is_rejected(server):
    desk = server.desk()
    made = desk.create(7, party=4)
    version = desk.push_one(made)["version"]

    moved = desk.push_one(
        desk.intent(
            IntentName.MOVE_BOOKING,
            uuid.UUID(made["entity_id"]),
            {"table_ids": [str(TABLE[9])], "start": EVENING.isoformat(), "duration_minutes": 120},
            base_version=version + 1000,
        )
    )

    assert moved["outcome"] == "rejected"
    assert "newer than the server's" in moved["reason"]
    assert desk.bookings()[made["entity_id"]]["table_ids"] == [str(TABLE[7])]
