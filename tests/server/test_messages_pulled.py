"""Guest messages and replies reach every desk through the pull, at the venue's version:
queued by a judge, marked by the sender, reported by the provider, answered by the guest.
Real PostgreSQL, the real app over HTTP, the real sender with the SMS fake and a real
SMTP server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import delete, select

from app import protocol as p
from server.messages.channels import Channels
from server.messages.inbound import receive_sms
from server.messages.models import OutboxMessage
from server.messages.outbox import apply_report, enqueue, suppress
from server.messages.sender import Sender
from server.messages.smtp import SmtpChannel, SmtpConfig
from server.messages.twilio import SmsConfig, TwilioSms
from tests.server.harness import VENUE_ID, FakeClock
from tests.server.test_message_outbox import rendered
from tests.sms_fake.plugin import *  # noqa: F403
from tests.smtp_server.plugin import *  # noqa: F403

GUEST_PHONE = "+447700900123"  # the harness's guest


@pytest.fixture
def clock():
    # The SMS fake dates messages by the wall clock, as Twilio does by its own.
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def channels(smtp_server, sms_fake):
    smtp = SmtpConfig(host=smtp_server.host, port=smtp_server.port, security="plain", timeout=5)
    sms = SmsConfig(sms_fake.account_sid, sms_fake.auth_token, sms_fake.from_number, sms_fake.url)
    return Channels(SmtpChannel(smtp), TwilioSms(sms, httpx.Client(timeout=5)), True, True)


def sender(server, channels, clock) -> Sender:
    return Sender(
        sessions=server.app.state.sessions, channels=channels, clock=clock, sleep=lambda s: None
    )


def messages(changes, kind="message"):
    return {c["id"]: c for c in changes if c["entity"] == kind}


def booked(server):
    """A booking pushed by a desk, without the confirmation and reminders its push queued
    (server.messages.tell, tested in test_message_causes.py): these tests follow the
    messages they queue themselves."""
    desk = server.desk()
    booking_id = uuid.uuid4()
    desk.push_one(desk.create(7, booking_id=booking_id))
    with server.app.state.sessions() as session, session.begin():
        session.execute(delete(OutboxMessage).where(OutboxMessage.booking_id == booking_id))
    return desk, booking_id


def queue_outside_a_push(server, clock, booking_id, cause="m-1"):
    with server.app.state.sessions() as session, session.begin():
        return enqueue(
            session, venue_id=VENUE_ID, booking_id=booking_id, cause=cause, rendered=rendered(),
            email="priya@example.org", phone=GUEST_PHONE, due_at=clock.now(),
        )  # fmt: skip


def test_each_status_the_sender_gives_a_message_is_pulled_by_the_desks_masked_and_without_its_words(
    server, channels, clock, sms_fake
):
    desk, booking_id = booked(server)
    queue_outside_a_push(server, clock, booking_id)
    _, cursor = desk.pull_all()

    sender(server, channels, clock).run_once()
    changes, cursor = desk.pull_all(cursor)

    pulled = messages(changes)
    assert len(pulled) == 2
    by_channel = {c["data"]["channel"]: c["data"] for c in pulled.values()}
    assert by_channel["sms"]["to"] == "•••• 0123"
    assert by_channel["email"]["to"] == "p•••@example.org"
    assert {d["status"] for d in by_channel.values()} == {"sent"}
    assert all(d["booking_id"] == str(booking_id) for d in by_channel.values())
    words = rendered().sms
    assert all(words not in str(d) and GUEST_PHONE not in str(d) for d in by_channel.values())


def test_a_delivery_report_is_pulled_again_with_the_new_status(server, channels, clock, sms_fake):
    desk, booking_id = booked(server)
    queue_outside_a_push(server, clock, booking_id)
    sender(server, channels, clock).run_once()
    _, cursor = desk.pull_all()
    with server.app.state.sessions() as session:
        sms = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")).one()

    with server.app.state.sessions() as session, session.begin():
        apply_report(session, sms.id, sms.provider_id, "undelivered", "30003", clock.now())
    changes, _ = desk.pull_all(cursor)

    [again] = messages(changes).values()
    assert again["data"]["status"] == "failed"
    assert again["data"]["last_error"] == "the provider reported undelivered (30003)"


def test_a_guests_reply_is_pulled_on_its_booking_with_its_words_what_it_did_and_a_masked_number(
    server, channels, clock, sms_fake
):
    desk, booking_id = booked(server)
    queue_outside_a_push(server, clock, booking_id)
    sender(server, channels, clock).run_once()
    _, cursor = desk.pull_all()

    with server.app.state.sessions() as session, session.begin():
        receive_sms(
            session, sid="SM" + "1" * 32, from_number=GUEST_PHONE,
            body="Running 10 minutes late, sorry!", at=clock.now(),
        )  # fmt: skip
    changes, _ = desk.pull_all(cursor)

    [reply] = messages(changes, "message_reply").values()
    assert reply["data"]["body"] == "Running 10 minutes late, sorry!"
    assert reply["data"]["action"] == "staff"
    assert reply["data"]["sender"] == "•••• 0123"
    assert reply["data"]["booking_id"] == str(booking_id)


def test_staff_text_a_guest_and_every_desk_pulls_the_queued_message_at_the_intents_version(
    server,
):
    desk, booking_id = booked(server)
    other = server.desk("Bar")
    _, cursor = other.pull_all()

    outcome = desk.push_one(
        desk.intent(p.IntentName.SEND_SMS, booking_id, {"text": "Your table is ready early!"})
    )
    changes, _ = other.pull_all(cursor)

    assert outcome["outcome"] == "applied"
    [message] = messages(changes).values()
    assert message["version"] == outcome["version"]
    assert message["data"]["template"] == "custom_sms"
    assert message["data"]["status"] == "pending"
    with server.app.state.sessions() as session:
        row = session.get(OutboxMessage, uuid.UUID(message["id"]))
        assert (row.recipient, row.body) == (GUEST_PHONE, "Your table is ready early!")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("x" * 161, "The text is 161 characters long; one SMS holds 160"),
        ("See you soon 😀", "A text can't carry 😀"),
        ("   ", "Type the text to send."),
    ],
)
def test_a_text_that_cannot_go_as_one_sms_is_refused_and_nothing_is_queued(server, text, why):
    desk, booking_id = booked(server)

    outcome = desk.push_one(desk.intent(p.IntentName.SEND_SMS, booking_id, {"text": text}))

    assert outcome["outcome"] == "rejected"
    assert why in outcome["reason"]
    assert queued(server) == []


def test_a_text_to_a_guest_who_replied_stop_is_refused_with_the_reason(server, clock):
    desk, booking_id = booked(server)
    with server.app.state.sessions() as session, session.begin():
        suppress(session, VENUE_ID, "sms", GUEST_PHONE, "the guest replied: STOP", clock.now())

    outcome = desk.push_one(desk.intent(p.IntentName.SEND_SMS, booking_id, {"text": "Hello"}))

    assert outcome["outcome"] == "rejected"
    assert "asked us to stop sending texts (the guest replied: STOP" in outcome["reason"]
    assert queued(server) == []


def test_a_failed_message_is_sent_again_as_a_new_message_and_a_sent_one_is_not(
    server, channels, clock, sms_fake
):
    desk, booking_id = booked(server)
    queue_outside_a_push(server, clock, booking_id)
    sms_fake.fail_next(400, code=21211)
    sender(server, channels, clock).run_once()
    by_channel = {m.channel: m for m in queued(server)}
    assert by_channel["sms"].status == "failed"

    again = desk.push_one(desk.intent(p.IntentName.RESEND_MESSAGE, by_channel["sms"].id, {}))
    refused = desk.push_one(desk.intent(p.IntentName.RESEND_MESSAGE, by_channel["email"].id, {}))
    sender(server, channels, clock).run_once()

    assert again["outcome"] == "applied"
    assert refused["outcome"] == "rejected"
    assert refused["reason"] == "Only a failed message can be sent again; this one is sent."
    [sms] = sms_fake.sent()
    assert sms["body"] == rendered().sms and sms["to"] == GUEST_PHONE
    assert sorted(m.status for m in queued(server) if m.channel == "sms") == ["failed", "sent"]


def queued(server) -> list[OutboxMessage]:
    with server.app.state.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)))
