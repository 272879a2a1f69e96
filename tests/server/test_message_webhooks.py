"""The provider's calls to the server, over real HTTP: delivery reports and a guest's
replies, posted and signed by the SMS fake (a process) to the real app under uvicorn."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest
import uvicorn
from sqlalchemy import select, text

from app import protocol as p
from app.domain.audit import SERVER
from app.domain.messages.replies import Action
from app.domain.messages.wording import TemplateName
from app.domain.plan_data import venue_from_dict
from server.app import create_app
from server.messages.channels import Channels
from server.messages.log_channel import LogChannel
from server.messages.models import InboundSms, OutboxMessage, Suppression
from server.messages.sender import Sender
from server.messages.twilio import SmsConfig, TwilioSms
from server.settings import Settings
from server.sync.models import CustomerConsent
from tests.server.harness import PLAN, VENUE_ID, FakeClock, Server
from tests.sms_fake.plugin import *  # noqa: F403
from tests.stripe_fake.processes import free_port

GUEST = "+447700900123"  # the harness's guest (Desk.create)
VENUE = venue_from_dict(PLAN["venue"])


@pytest.fixture
def served(seeded_url, seeded, sms_fake):
    """The real app under uvicorn, its public URL its own, SMS through the fake."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=seeded_url,
        public_url=url,
        sms_account_sid=sms_fake.account_sid,
        sms_auth_token=sms_fake.auth_token,
        sms_from_number=sms_fake.from_number,
        sms_api_base=sms_fake.url,
    )
    app = create_app(settings, FakeClock())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    client = httpx.Client(base_url=url, timeout=30)
    try:
        yield Server(client, app, VENUE_ID, dict(seeded[1].staff), dict(seeded[1].tokens)), url
    finally:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)


def asked_to_confirm(
    server: Server, url: str, sms_fake, table: int = 7
) -> tuple[uuid.UUID, OutboxMessage]:
    """A booking made at the desk, and its "reply 1 to confirm" text sent by the sender."""
    desk = server.desk()
    booking = uuid.uuid4()
    created = desk.push_one(desk.create(table, booking_id=booking, status="pending"))
    assert created["outcome"] in ("applied", "merged"), created
    # The push queued its confirmation (and reminders) to the guest's number.
    sessions = server.app.state.sessions
    config = SmsConfig(
        sms_fake.account_sid, sms_fake.auth_token, sms_fake.from_number, sms_fake.url
    )
    channels = Channels(LogChannel(), TwilioSms(config), False, True)
    Sender(
        sessions, channels, server.app.state.clock, status_url=f"{url}/v1/messages/sms/status"
    ).run(until_idle=True)
    with sessions() as session:
        mine = select(OutboxMessage).where(
            OutboxMessage.booking_id == booking,
            OutboxMessage.template == TemplateName.BOOKING_CREATED.value,
        )
        return booking, session.scalars(mine).one()


def inbound(server: Server) -> list[InboundSms]:
    with server.app.state.sessions() as session:
        return list(session.scalars(select(InboundSms)))


def test_a_delivery_report_marks_the_message_delivered(served, sms_fake):
    server, url = served
    _, sent = asked_to_confirm(server, url, sms_fake)

    answer = sms_fake.report(sent.provider_id, "delivered")

    assert answer["status"] == 200
    with server.app.state.sessions() as session:
        assert session.get(OutboxMessage, sent.id).status == "delivered"


def test_an_undelivered_report_marks_it_failed_for_the_desk_to_show(served, sms_fake):
    server, url = served
    _, sent = asked_to_confirm(server, url, sms_fake)

    sms_fake.report(sent.provider_id, "undelivered")

    with server.app.state.sessions() as session:
        failed = session.get(OutboxMessage, sent.id)
    assert (failed.status, failed.last_error) == (
        "failed",
        "the provider reported undelivered (30003)",
    )


def test_a_guests_1_is_kept_on_the_booking_as_a_confirmation_for_the_judge(served, sms_fake):
    server, url = served
    booking, _ = asked_to_confirm(server, url, sms_fake)
    judged = []
    server.app.state.reply_judge = lambda session, venue, reply: judged.append((venue, reply))

    answer = sms_fake.reply(GUEST, "1", f"{url}/v1/messages/sms/inbound")

    [kept] = inbound(server)
    assert answer["status"] == 200 and "<Response>" in answer["body"]
    assert (kept.booking_id, kept.action, kept.body) == (booking, "confirm", "1")
    assert [(v, r.action, r.booking_id) for v, r in judged] == [
        (VENUE_ID, Action.CONFIRM, str(booking))
    ]


def test_a_reply_that_is_not_a_digit_is_kept_for_staff(served, sms_fake):
    server, url = served
    booking, _ = asked_to_confirm(server, url, sms_fake)

    sms_fake.reply(GUEST, "Can we be 3?", f"{url}/v1/messages/sms/inbound")

    [kept] = inbound(server)
    assert (kept.booking_id, kept.action, kept.why) == (booking, "staff", "not a 1 or a 9")


def test_stop_suppresses_the_number_and_its_next_message_is_not_sent(served, sms_fake):
    server, url = served
    asked_to_confirm(server, url, sms_fake)

    sms_fake.reply(GUEST, "Stop please", f"{url}/v1/messages/sms/inbound")
    _, again = asked_to_confirm(server, url, sms_fake, table=8)

    with server.app.state.sessions() as session:
        [suppressed] = session.scalars(select(Suppression)).all()
    assert (suppressed.channel, suppressed.recipient) == ("sms", GUEST)
    assert again.status == "suppressed"
    assert len(sms_fake.sent()) == 1


def test_a_replayed_inbound_webhook_is_refused_and_changes_nothing(served, sms_fake):
    server, url = served
    asked_to_confirm(server, url, sms_fake)
    hook = f"{url}/v1/messages/sms/inbound"
    first = sms_fake.reply(GUEST, "9", hook)

    again = sms_fake.replay(first["sid"], hook)

    assert again["status"] == 409
    assert len(inbound(server)) == 1


def test_a_forged_signature_is_refused_and_changes_nothing(served, sms_fake):
    server, url = served
    asked_to_confirm(server, url, sms_fake)

    forged = sms_fake.reply(GUEST, "STOP", f"{url}/v1/messages/sms/inbound", token="guessed")
    unsigned = httpx.post(
        f"{url}/v1/messages/sms/inbound",
        data={"MessageSid": "SMx", "From": GUEST, "Body": "STOP"},
    )

    assert (forged["status"], unsigned.status_code) == (403, 403)
    assert inbound(server) == []
    with server.app.state.sessions() as session:
        assert session.scalars(select(Suppression)).all() == []


def test_a_reply_from_a_number_no_guest_has_is_refused(served, sms_fake):
    server, url = served

    answer = sms_fake.reply("+447700900999", "1", f"{url}/v1/messages/sms/inbound")

    assert answer["status"] == 404
    assert inbound(server) == []


def test_a_report_for_a_message_that_is_not_ours_is_refused(served, sms_fake):
    server, url = served
    _, sent = asked_to_confirm(server, url, sms_fake)
    with server.app.state.sessions() as session, session.begin():
        session.get(OutboxMessage, sent.id).provider_id = "SMsomeoneelse"

    answer = sms_fake.report(sent.provider_id, "delivered")

    assert answer["status"] == 404


def test_without_an_sms_account_the_webhooks_say_so(seeded_url):
    from fastapi.testclient import TestClient

    app = create_app(Settings(database_url=seeded_url), FakeClock())
    with TestClient(app) as client:
        answer = client.post("/v1/messages/sms/inbound", data={"Body": "1"})

    assert answer.status_code == 409
    assert "SMS is not set up" in answer.json()["detail"]


def test_stop_also_withdraws_sms_marketing_consent_and_every_desk_pulls_it(served, sms_fake):
    server, url = served
    desk = server.desk()
    guest_id = uuid.uuid4()
    yes = {
        "channel": "sms", "given": True, "at": "2027-03-01T12:00:00+00:00",
        "wording_id": "marketing-sms", "wording_version": 1, "recorded_by": "Sam",
    }  # fmt: skip
    customer = {"id": str(guest_id), "name": "Ada Lovelace", "phone": GUEST, "consent": [yes]}
    desk.push_one(desk.create(9, customer=customer))
    asked_to_confirm(server, url, sms_fake)

    sms_fake.reply(GUEST, "STOP", f"{url}/v1/messages/sms/inbound")

    changes, _ = server.desk().pull_all()
    [row] = [c["data"] for c in changes if c["id"] == str(guest_id)]
    assert [(r["given"], r["recorded_by"], r["wording_id"]) for r in row["consent"]] == [
        (False, "guest by SMS", "sms-stop-reply")
    ]
    with server.app.state.sessions() as session:
        kept = session.scalars(
            select(CustomerConsent.given)
            .where(CustomerConsent.customer_id == guest_id)
            .order_by(CustomerConsent.at)
        ).all()
    assert kept == [True, False]


# --- a guest's 1 or 9 acted on (server.messages.reply_judge) ---


def reply(sms_fake, url, body):
    answer = sms_fake.reply(GUEST, body, f"{url}/v1/messages/sms/inbound")
    assert answer["status"] == 200, answer
    return answer


def kept(server) -> list[tuple[str, str]]:
    with server.app.state.sessions() as session:
        return [(r.action, r.why) for r in session.scalars(select(InboundSms))]


def queued(server, booking) -> list[str]:
    with server.app.state.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage.template).where(
                OutboxMessage.booking_id == booking, OutboxMessage.status == "pending"
            )
        )
        return list(rows)


def server_events(server, booking) -> list[tuple[str, str, str]]:
    with server.app.state.sessions() as session:
        rows = session.execute(
            text(
                "SELECT staff_name, action, after->>'status' FROM audit_events "
                "WHERE device_id IS NULL AND entity_id = :b ORDER BY seq"
            ),
            {"b": booking},
        )
        return [tuple(r) for r in rows]


def test_a_1_confirms_the_pending_booking_for_every_desk_and_says_so(served, sms_fake):
    server, url = served
    booking, _ = asked_to_confirm(server, url, sms_fake)
    other_desk = server.desk("Bar PC")

    reply(sms_fake, url, "1")

    assert other_desk.bookings()[str(booking)]["status"] == "confirmed"
    assert kept(server) == [("confirm", "")]
    assert server_events(server, booking) == [(SERVER.name, "sms_reply_confirm", "confirmed")]
    assert "booking_confirmed" in queued(server, booking)


def test_a_9_cancels_the_booking_frees_its_table_and_says_so(served, sms_fake):
    server, url = served
    booking, _ = asked_to_confirm(server, url, sms_fake)
    desk = server.desk("Bar PC")

    reply(sms_fake, url, "9")

    assert desk.bookings()[str(booking)]["status"] == "cancelled"
    queued_now = queued(server, booking)
    assert "booking_cancelled" in queued_now and "reminder" not in queued_now
    # The table is free for another party at that time.
    assert desk.push_one(desk.create(7))["outcome"] == "applied"


def test_a_1_for_a_booking_confirmed_meanwhile_changes_nothing(served, sms_fake):
    server, url = served
    booking, _ = asked_to_confirm(server, url, sms_fake)
    desk = server.desk("Bar PC")
    seen = desk.bookings()[str(booking)]["version"]
    confirm = desk.intent(
        p.IntentName.SET_STATUS, booking, {"status": "confirmed"}, base_version=seen
    )
    assert desk.push_one(confirm)["outcome"] == "applied"
    version = desk.bookings()[str(booking)]["version"]

    reply(sms_fake, url, "1")

    assert kept(server) == [("confirm", "")]
    assert server_events(server, booking) == []
    assert desk.bookings()[str(booking)]["version"] == version


def test_a_1_to_a_reminder_of_a_booking_owing_its_deposit_is_kept_for_staff_with_the_reason(
    served, sms_fake
):
    server, url = served
    desk = server.desk()
    # A party of 8 at tables 15 + 16 owing £80.00 (as a server taking payments prices it;
    # this one takes none, so the deposit is set as that server would have set it):
    # pending, and its reminder (16:00, three hours before) asks "reply 1 to confirm".
    created = desk.create(15, 16, party=8, status="pending")
    assert desk.push_one(created)["outcome"] == "applied"
    booking = uuid.UUID(created["entity_id"])
    with server.app.state.sessions() as session, session.begin():
        session.execute(
            text(
                "UPDATE bookings SET deposit_state = 'required', deposit_pence = 8000 WHERE id = :b"
            ),
            {"b": booking},
        )
    server.app.state.clock.advance(hours=1)
    config = SmsConfig(
        sms_fake.account_sid, sms_fake.auth_token, sms_fake.from_number, sms_fake.url
    )
    channels = Channels(LogChannel(), TwilioSms(config), False, True)
    Sender(server.app.state.sessions, channels, server.app.state.clock).run(until_idle=True)
    assert [m["body"].startswith("The Backroom: see you") for m in sms_fake.sent()] == [True]

    reply(sms_fake, url, "1")

    [(action, why)] = kept(server)
    assert action == "staff"
    assert why == (
        "The guest's reply was not acted on: Booking "
        f"{created['args']['reference'][:4]}-{created['args']['reference'][4:8]}-"
        f"{created['args']['reference'][8:]} cannot be confirmed until its £80.00 deposit "
        "is paid or a manager waives it."
    )
    assert desk.bookings()[str(booking)]["status"] == "pending"
    assert server_events(server, booking) == []
