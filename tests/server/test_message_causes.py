"""Desks push intents over HTTP; the server queues what each change tells the guest in
the change's own transaction (the real app on the real PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from app import protocol as p
from server.messages.models import OutboxMessage
from tests.server.harness import EVENING, NOW

EMAIL = "ada@example.org"
PHONE = "+447700900123"


def outbox(server, booking_id):
    with server.app.state.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.booking_id == booking_id)
            .order_by(OutboxMessage.due_at, OutboxMessage.template, OutboxMessage.channel)
        )
        return [(r.template, r.channel, r.status, r.due_at) for r in rows]


def book(desk, *, email=EMAIL, phone=PHONE, status="confirmed", **extra):
    m = desk.create(3, status=status, **extra)
    m["args"]["customer"].update({"email": email, "phone": phone})
    assert desk.push_one(m)["outcome"] == "applied"
    return uuid.UUID(m["entity_id"]), m


def test_a_booking_pushed_with_an_email_and_phone_queues_its_confirmation_and_reminders(server):
    tomorrow = EVENING + timedelta(days=1)
    booking_id, _ = book(server.desk(), start=tomorrow)

    day_before, three_hours = EVENING, tomorrow - timedelta(hours=3)
    assert outbox(server, booking_id) == [
        ("booking_created", "email", "pending", NOW),
        ("booking_created", "sms", "pending", NOW),
        ("reminder", "email", "pending", day_before),
        ("reminder", "sms", "pending", day_before),
        ("reminder", "email", "pending", three_hours),
        ("reminder", "sms", "pending", three_hours),
    ]


def test_a_booking_made_the_same_afternoon_gets_only_the_three_hour_reminder(server):
    booking_id, _ = book(server.desk(), phone="")

    assert [(t, due) for t, _, _, due in outbox(server, booking_id)] == [
        ("booking_created", NOW),
        ("reminder", EVENING - timedelta(hours=3)),
    ]


def test_the_confirmation_says_the_reference_and_the_london_time(server):
    booking_id, m = book(server.desk(), phone="")

    with server.app.state.sessions() as session:
        mail = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.booking_id == booking_id,
                OutboxMessage.template == "booking_created",
            )
        ).one()
    reference = m["args"]["reference"]
    assert mail.recipient == EMAIL
    # EVENING is 19:00 UTC on Tuesday 2 March 2027: GMT, so 19:00 in London.
    assert mail.subject == "Your booking at The Backroom: Tuesday 2 March at 19:00"
    assert f"{reference[:4]}-{reference[4:8]}-{reference[8:]}" in mail.body


def test_a_guest_with_neither_email_nor_phone_is_sent_nothing(server):
    booking_id, _ = book(server.desk(), email=None, phone="")

    assert outbox(server, booking_id) == []


def test_a_replayed_push_queues_nothing_twice(server):
    desk = server.desk()
    booking_id, m = book(desk)
    before = outbox(server, booking_id)

    again = desk.push(m)

    assert again["outcomes"][0]["outcome"] == "applied"
    assert outbox(server, booking_id) == before


def test_cancelling_queues_the_cancellation_and_cancels_the_unsent_reminders(server):
    desk = server.desk()
    booking_id, _ = book(desk)

    cancel = desk.intent(p.IntentName.CANCEL, booking_id, {"reason": "guest rang"})
    assert desk.push_one(cancel)["outcome"] == "applied"

    rows = outbox(server, booking_id)
    assert ("booking_cancelled", "email", "pending", NOW) in rows
    assert ("booking_cancelled", "sms", "pending", NOW) in rows
    assert {status for template, _, status, _ in rows if template != "booking_cancelled"} == {
        "cancelled"
    }


def test_moving_a_booking_says_so_and_reminds_at_the_new_time(server):
    desk = server.desk()
    booking_id, _ = book(desk, phone="")
    later = EVENING + timedelta(hours=1)

    move = desk.intent(
        p.IntentName.MOVE_BOOKING,
        booking_id,
        {
            "table_ids": [m for m in desk.bookings()[str(booking_id)]["table_ids"]],
            "start": later.isoformat(),
            "duration_minutes": 120,
        },
    )
    assert desk.push_one(move)["outcome"] == "applied"

    rows = outbox(server, booking_id)
    assert ("booking_moved", "email", "pending", NOW) in rows
    reminders = {(status, due) for template, _, status, due in rows if template == "reminder"}
    assert ("pending", later - timedelta(hours=3)) in reminders
    assert ("cancelled", EVENING - timedelta(hours=3)) in reminders


def test_confirming_a_pending_booking_says_confirmed(server):
    desk = server.desk()
    booking_id, _ = book(desk, status="pending", phone="")

    confirm = desk.intent(p.IntentName.SET_STATUS, booking_id, {"status": "confirmed"})
    assert desk.push_one(confirm)["outcome"] == "applied"

    assert ("booking_confirmed", "email", "pending", NOW) in outbox(server, booking_id)


def test_a_refused_intent_queues_nothing(server):
    desk = server.desk()
    booking_id, _ = book(desk, phone="")
    queued = outbox(server, booking_id)

    stale = desk.intent(p.IntentName.SET_STATUS, booking_id, {"status": "seated"}, base_version=999)
    assert desk.push_one(stale)["outcome"] == "rejected"

    assert outbox(server, booking_id) == queued


def test_a_resized_booking_is_reminded_with_its_new_party_size(server):
    desk = server.desk()
    tomorrow = EVENING + timedelta(days=1)
    m = desk.create(5, party=2, status="confirmed", start=tomorrow)
    m["args"]["customer"].update({"email": None, "phone": PHONE})
    assert desk.push_one(m)["outcome"] == "applied"
    booking_id = uuid.UUID(m["entity_id"])

    resize = desk.intent(
        p.IntentName.EDIT_DETAILS, booking_id, {"party_size": 4}, previous={"party_size": 2}
    )
    assert desk.push_one(resize)["outcome"] == "applied"

    with server.app.state.sessions() as session:
        reminders = session.execute(
            select(OutboxMessage.status, OutboxMessage.body)
            .where(OutboxMessage.booking_id == booking_id, OutboxMessage.template == "reminder")
            .order_by(OutboxMessage.due_at)
        ).all()
    pending = [body for status, body in reminders if status == "pending"]
    cancelled = [body for status, body in reminders if status == "cancelled"]
    assert len(pending) == 2 and all("table for 4" in body for body in pending)
    assert len(cancelled) == 2 and all("table for 2" in body for body in cancelled)


def test_a_cancel_undone_brings_the_reminders_back_and_says_the_booking_stands(server):
    desk = server.desk()
    tomorrow = EVENING + timedelta(days=1)
    booking_id, m = book(desk, phone="", start=tomorrow)
    cancel = desk.intent(p.IntentName.CANCEL, booking_id, {"reason": "guest rang"})
    assert desk.push_one(cancel)["outcome"] == "applied"

    undo = desk.intent(
        p.IntentName.UNDO_CANCEL,
        booking_id,
        {
            "cancel_id": cancel["mutation_id"],
            "status": "confirmed",
            "table_ids": m["args"]["table_ids"],
        },
    )
    assert desk.push_one(undo)["outcome"] == "applied"

    rows = outbox(server, booking_id)
    reminders = [(status, due) for t, _, status, due in rows if t == "reminder"]
    assert reminders == [("pending", EVENING), ("pending", tomorrow - timedelta(hours=3))]
    assert [t for t, _, _, _ in rows].count("booking_created") == 2


def test_a_venue_that_reminds_two_days_ahead_only_queues_that_reminder(server):
    from sqlalchemy import text

    with server.app.state.sessions() as session, session.begin():
        session.execute(
            text("UPDATE venues SET settings = jsonb_set(settings, '{reminder_hours}', '[48]')")
        )
    in_three_days = EVENING + timedelta(days=3)

    booking_id, _ = book(server.desk(), start=in_three_days)

    two_days_before = in_three_days - timedelta(hours=48)
    assert [r for r in outbox(server, booking_id) if r[0] == "reminder"] == [
        ("reminder", "email", "pending", two_days_before),
        ("reminder", "sms", "pending", two_days_before),
    ]


def test_a_venue_s_own_wording_is_what_its_guests_are_sent(server):
    from server.messages.wording import set_wording
    from server.venues.service import venue_rules
    from tests.server.harness import VENUE_ID

    own = "{venue_sms}: cheers {first}, table for {party} on {when_short}. Ref {ref}"
    earlier, _ = book(server.desk(), start=EVENING + timedelta(days=1))  # default wording
    with server.app.state.sessions() as session, session.begin():
        set_wording(
            session, venue_rules(session, VENUE_ID).venue, {"booking_created": {"sms": own}}
        )

    booking_id, made = book(server.desk())

    with server.app.state.sessions() as session:
        [before, sms] = (
            session.scalars(
                select(OutboxMessage.body).where(
                    OutboxMessage.booking_id == b,
                    OutboxMessage.template == "booking_created",
                    OutboxMessage.channel == "sms",
                )
            ).one()
            for b in (earlier, booking_id)
        )
    assert "cheers" not in before and before.startswith("The Backroom: ")
    assert sms.startswith("The Backroom: cheers Ada, table for 2 on ")
    assert sms.endswith(
        f"Ref {made['args']['reference'][:4]}-{made['args']['reference'][4:8]}-"
        f"{made['args']['reference'][8:]}"
    )


def test_a_booking_with_a_package_tells_the_guest_what_they_pre_ordered(server):
    # Table 3 on a Tuesday: the plan file's Birthday package, £15 a head, for two.
    booking_id, _ = book(server.desk(), phone="", party=2, package_id="birthday")
    plain_id, _ = book(server.desk(), phone="", party=2, start=EVENING + timedelta(days=1))

    with server.app.state.sessions() as session:
        bodies = {
            r.booking_id: r.body
            for r in session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "booking_created")
            )
        }
    assert (
        "on Tuesday 2 March at 19:00.\n\n"
        "Pre-ordered with your table: Birthday package for 2, £30.00.\n\n"
    ) in bodies[booking_id]
    assert "Pre-ordered" not in bodies[plain_id]
