"""The message outbox on the real PostgreSQL, sent by the real sender through the real
channels to a real SMTP server and the SMS fake (a process)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from app.domain.messages.facts import Facts
from app.domain.messages.templates import Templates
from app.domain.messages.wording import TemplateName
from app.domain.plan_data import venue_from_dict
from server.db import make_engine, make_sessionmaker
from server.messages.channels import Channels
from server.messages.models import OutboxMessage, Suppression
from server.messages.outbox import apply_report, cancel_pending, enqueue, schedule_reminders
from server.messages.sender import Sender
from server.messages.smtp import SmtpChannel, SmtpConfig
from server.messages.twilio import SmsConfig, TwilioSms
from tests.server.harness import PLAN, VENUE_ID, FakeClock
from tests.sms_fake.plugin import *  # noqa: F403
from tests.smtp_server.plugin import *  # noqa: F403

GUEST_PHONE, GUEST_EMAIL = "+447700900123", "priya@example.org"
VENUE = venue_from_dict(PLAN["venue"])


@pytest.fixture
def clock():
    # The SMS fake dates messages by the wall clock, as Twilio does by its own.
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def sessions(seeded_url):
    engine = make_engine(seeded_url, 2)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def channels(smtp_server, sms_fake):
    smtp = SmtpConfig(host=smtp_server.host, port=smtp_server.port, security="plain", timeout=5)
    sms = SmsConfig(sms_fake.account_sid, sms_fake.auth_token, sms_fake.from_number, sms_fake.url)
    return Channels(SmtpChannel(smtp), TwilioSms(sms, httpx.Client(timeout=5)), True, True)


def unreachable(m):
    """A booking whose guest left no number: its push queues nothing of its own."""
    m["args"]["customer"]["phone"] = ""
    return m


def sender(sessions, channels, clock, **options) -> Sender:
    options = {"mail_domain": "backroom.example", "sleep": lambda seconds: None} | options
    return Sender(sessions=sessions, channels=channels, clock=clock, **options)


def rendered(template=TemplateName.BOOKING_CONFIRMED, reference="7KQ2M9XPRT4"):
    facts = Facts(
        venue=VENUE,
        guest_name="Priya Shah",
        reference=reference,
        start=datetime(2027, 3, 6, 0, 30, tzinfo=UTC),  # Friday night, 00:30
        party_size=4,
    )
    return Templates().render(template, facts)


def put(sessions, clock, *, cause="m-1", email=GUEST_EMAIL, phone=GUEST_PHONE, due=None, **kw):
    with sessions() as session, session.begin():
        return enqueue(
            session,
            venue_id=VENUE_ID,
            booking_id=None,
            cause=cause,
            rendered=kw.get("message") or rendered(),
            email=email,
            phone=phone,
            due_at=due or clock.now(),
        )


def rows(sessions) -> dict[str, OutboxMessage]:
    with sessions() as session:
        return {r.channel: r for r in session.scalars(select(OutboxMessage))}


def test_a_message_is_queued_only_if_its_transaction_commits(sessions, clock):
    with sessions() as session:
        session.begin()
        enqueue(
            session, venue_id=VENUE_ID, booking_id=None, cause="m-lost", rendered=rendered(),
            email=GUEST_EMAIL, phone=GUEST_PHONE, due_at=clock.now(),
        )  # fmt: skip
        session.rollback()

    put(sessions, clock)

    assert {r.idempotency_key for r in rows(sessions).values()} == {
        "m-1:booking_confirmed:email",
        "m-1:booking_confirmed:sms",
    }


def test_the_same_cause_queued_twice_is_one_message_per_channel(sessions, clock):
    first = put(sessions, clock)
    second = put(sessions, clock)

    assert len(first) == 2 and second == []
    assert len(rows(sessions)) == 2


def test_the_sender_delivers_the_email_and_the_sms_once_each(
    sessions, channels, clock, smtp_server, sms_fake
):
    put(sessions, clock)

    sender(sessions, channels, clock).run(until_idle=True)

    [mail] = smtp_server.recorder.messages()
    [sms] = sms_fake.sent()
    assert mail["Subject"] == (
        "Confirmed: The Backroom, Friday night, 00:30 (the early hours of Saturday 6 March)"
    )
    assert (
        mail["Message-ID"]
        == f"<{uuid.uuid5(uuid.NAMESPACE_URL, 'm-1:booking_confirmed:email')}@backroom.example>"
    )
    assert "Booking reference: 7KQ2-M9XP-RT4" in mail.get_body(("plain",)).get_content()
    assert sms["body"].startswith("The Backroom: Priya, your table for 4 on Fri 5 Mar night, 00:30")
    done = rows(sessions)
    assert {r.status for r in done.values()} == {"sent"}
    assert done["sms"].provider_id == sms["sid"]
    assert done["email"].attempts == done["sms"].attempts == 1


def test_a_message_due_later_waits_for_its_time(sessions, channels, clock, smtp_server):
    put(sessions, clock, cause="reminder-24h:b1", phone=None, due=clock.now() + timedelta(hours=21))
    worker = sender(sessions, channels, clock)

    worker.run_once()
    before = len(smtp_server.recorder.deliveries)
    clock.advance(hours=21)
    worker.run_once()

    assert before == 0
    assert len(smtp_server.recorder.deliveries) == 1


def test_a_cancelled_booking_has_its_unsent_reminders_cancelled(
    sessions, channels, clock, server, smtp_server
):
    desk = server.desk()
    booking = uuid.uuid4()
    desk.push_one(unreachable(desk.create(7, booking_id=booking)))
    reminder = rendered(TemplateName.REMINDER)
    with sessions() as session, session.begin():
        for cause, hours in (("m-1", 0), ("reminder-24h", 21), ("reminder-3h", 42)):
            enqueue(
                session, venue_id=VENUE_ID, booking_id=booking, cause=cause,
                rendered=reminder if hours else rendered(), email=GUEST_EMAIL, phone=None,
                due_at=clock.now() + timedelta(hours=hours),
            )  # fmt: skip
    worker = sender(sessions, channels, clock)
    worker.run_once()

    with sessions() as session, session.begin():
        cancelled = cancel_pending(session, booking, templates=[TemplateName.REMINDER.value])
    clock.advance(hours=48)
    worker.run(until_idle=True)

    assert cancelled == 2
    assert [m["Subject"].split(":")[0] for m in smtp_server.recorder.messages()] == ["Confirmed"]
    with sessions() as session:
        statuses = sorted(r.status for r in session.scalars(select(OutboxMessage)))
    assert statuses == ["cancelled", "cancelled", "sent"]


def test_moving_a_booking_moves_its_reminders_and_scheduling_twice_adds_nothing(
    sessions, clock, server
):
    desk = server.desk()
    booking = uuid.uuid4()
    desk.push_one(unreachable(desk.create(7, booking_id=booking)))
    first = clock.now() + timedelta(days=3)
    moved = first + timedelta(hours=1, minutes=30)

    def schedule(start):
        with sessions() as session, session.begin():
            return schedule_reminders(
                session, venue_id=VENUE_ID, booking_id=booking, start=start, party_size=4,
                now=clock.now(), rendered=rendered(TemplateName.REMINDER), email=GUEST_EMAIL,
                phone=None,
            )  # fmt: skip

    def pending():
        with sessions() as session:
            rows = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))
            return sorted(r.due_at for r in rows)

    made = schedule(first)
    again = schedule(first)
    still = pending()
    after_move = schedule(moved)

    assert (len(made), again, len(after_move)) == (2, [], 2)
    assert still == [first - timedelta(hours=24), first - timedelta(hours=3)]
    assert pending() == [moved - timedelta(hours=24), moved - timedelta(hours=3)]


def test_a_venue_with_neither_smtp_nor_sms_has_its_messages_logged_not_sent(
    sessions, clock, seeded_url
):
    from server.messages.channels import channels_from
    from server.settings import Settings

    put(sessions, clock)
    nothing = channels_from(Settings(database_url=seeded_url))

    sender(sessions, nothing, clock).run(until_idle=True)

    assert (nothing.email_on, nothing.sms_on) == (False, False)
    assert {r.status for r in rows(sessions).values()} == {"logged"}
    assert [e.subject for e in nothing.email.emails] == [rendered().subject]


def test_a_provider_failing_is_tried_again_later_with_backoff(sessions, channels, clock, sms_fake):
    put(sessions, clock, email=None)
    sms_fake.fail_next(503, times=3, code=20503, message="Service unavailable")
    worker = sender(sessions, channels, clock)

    worker.run_once()
    waiting = rows(sessions)["sms"]
    worker.run_once()
    clock.advance(seconds=(waiting.due_at - clock.now()).total_seconds())
    worker.run_once()

    assert waiting.status == "pending" and waiting.attempts == 1
    assert "503" in waiting.last_error
    assert waiting.due_at - clock.now() <= timedelta(0)
    assert sms_fake.create_requests() == 4
    assert [m["body"] for m in sms_fake.sent()] == [rendered().sms]
    assert rows(sessions)["sms"].status == "sent"


def test_a_refused_number_fails_at_once_and_is_not_tried_again(sessions, channels, clock, sms_fake):
    put(sessions, clock, email=None, phone="07700 900123")

    sender(sessions, channels, clock).run(until_idle=True)

    failed = rows(sessions)["sms"]
    assert failed.status == "failed" and failed.attempts == 1
    assert "21211" in failed.last_error or "Invalid 'To'" in failed.last_error
    assert sms_fake.create_requests() == 1


def test_a_number_that_opted_out_is_suppressed_and_never_texted_again(
    sessions, channels, clock, sms_fake, sms_receiver
):
    sms_fake.reply(GUEST_PHONE, "STOP", sms_receiver.url)
    put(sessions, clock, cause="m-1", email=None)
    put(sessions, clock, cause="m-2", email=None)

    sender(sessions, channels, clock).run(until_idle=True)

    with sessions() as session:
        statuses = [r.status for r in session.scalars(select(OutboxMessage))]
        [suppression] = session.scalars(select(Suppression)).all()
    assert statuses == ["suppressed", "suppressed"]
    assert suppression.recipient == GUEST_PHONE
    assert sms_fake.create_requests() == 1


def test_an_sms_sent_by_a_sender_that_died_before_marking_it_is_not_sent_again(
    sessions, channels, clock, sms_fake
):
    put(sessions, clock, email=None)
    dead = sender(sessions, channels, clock, lease=timedelta(seconds=30))
    [claimed] = dead.claim()
    dead._once(claimed, again=False)  # the provider takes it; the sender dies here
    clock.advance(seconds=31)

    sender(sessions, channels, clock).run(until_idle=True)

    [sms] = sms_fake.sent()
    done = rows(sessions)["sms"]
    assert (done.status, done.provider_id, done.attempts) == ("sent", sms["sid"], 2)


def test_an_sms_whose_sender_died_before_the_provider_took_it_is_sent(
    sessions, channels, clock, sms_fake
):
    put(sessions, clock, email=None)
    sender(sessions, channels, clock, lease=timedelta(seconds=30)).claim()  # dies here
    clock.advance(seconds=31)

    sender(sessions, channels, clock).run(until_idle=True)

    assert len(sms_fake.sent()) == 1
    assert rows(sessions)["sms"].status == "sent"


def test_an_identical_sms_owned_by_another_message_is_not_taken_for_this_one(
    sessions, channels, clock, sms_fake
):
    put(sessions, clock, cause="m-1", email=None)
    sender(sessions, channels, clock).run(until_idle=True)
    put(sessions, clock, cause="m-2", email=None)  # the same words again (a resend)
    dead = sender(sessions, channels, clock, lease=timedelta(seconds=30))
    dead.claim()
    clock.advance(seconds=31)

    sender(sessions, channels, clock).run(until_idle=True)

    assert len(sms_fake.sent()) == 2
    with sessions() as session:
        ids = {r.provider_id for r in session.scalars(select(OutboxMessage))}
    assert ids == {m["sid"] for m in sms_fake.sent()}


def test_an_email_whose_sender_died_after_sending_is_sent_again_with_the_same_message_id(
    sessions, channels, clock, smtp_server
):
    put(sessions, clock, phone=None)
    dead = sender(sessions, channels, clock, lease=timedelta(seconds=30))
    [claimed] = dead.claim()
    dead._once(claimed, again=False)
    clock.advance(seconds=31)

    sender(sessions, channels, clock).run(until_idle=True)

    first, again = smtp_server.recorder.messages()
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@backroom.example>")
    assert rows(sessions)["email"].status == "sent"


def test_a_sender_whose_lease_ran_out_cannot_mark_a_message_taken_over(
    sessions, channels, clock, sms_fake
):
    put(sessions, clock, email=None)
    slow = sender(sessions, channels, clock, lease=timedelta(seconds=30))
    [claimed] = slow.claim()
    clock.advance(seconds=31)
    sender(sessions, channels, clock).run(until_idle=True)

    slow.send(claimed)  # wakes up late, past its lease

    assert len(sms_fake.sent()) == 1
    done = rows(sessions)["sms"]
    assert (done.status, done.attempts, done.lease_owner) == ("sent", 2, None)


def test_delivery_reports_mark_the_message_even_before_the_sender_does(
    sessions, channels, clock, sms_fake
):
    put(sessions, clock, email=None)
    worker = sender(sessions, channels, clock)
    [claimed] = worker.claim()
    sent = worker._once(claimed, again=False)
    with sessions() as session, session.begin():
        early = apply_report(session, claimed.id, sent.provider_id, "delivered", None, clock.now())
    worker._sent(claimed, sent)
    with sessions() as session, session.begin():
        forged = apply_report(session, claimed.id, "SMother", "failed", "30003", clock.now())

    done = rows(sessions)["sms"]
    assert early and not forged
    assert (done.status, done.provider_id) == ("delivered", sent.provider_id)
    assert done.delivered_at == clock.now()


def test_an_undelivered_report_fails_the_message_with_the_reason(sessions, channels, clock):
    put(sessions, clock, email=None)
    sender(sessions, channels, clock).run(until_idle=True)
    sms = rows(sessions)["sms"]

    with sessions() as session, session.begin():
        apply_report(session, sms.id, sms.provider_id, "undelivered", "30003", clock.now())

    done = rows(sessions)["sms"]
    assert done.status == "failed"
    assert done.last_error == "the provider reported undelivered (30003)"


def test_a_message_failing_every_time_fails_after_the_last_attempt(
    sessions, channels, clock, smtp_server
):
    put(sessions, clock, phone=None)
    smtp_server.recorder.refuse_next("451 4.3.0 Try again later", times=100)
    worker = sender(sessions, channels, clock, max_attempts=3, quick_tries=1)

    for _ in range(3):
        worker.run_once()
        clock.advance(hours=2)

    done = rows(sessions)["email"]
    assert (done.status, done.attempts) == ("failed", 3)
    assert "451" in done.last_error
