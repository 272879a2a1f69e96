"""Staff text a guest while the desk is offline: the text waits on the desk, goes to the
server when it reconnects, the server's sender (one pass) hands it to the SMS fake (a
real HTTP process), and every desk pulls how it went."""

from __future__ import annotations

import httpx
import pytest

from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from server.db import make_engine, make_sessionmaker
from server.messages.channels import Channels
from server.messages.log_channel import LogChannel
from server.messages.sender import Sender
from server.messages.twilio import SmsConfig, TwilioSms
from tests.sms_fake.plugin import *  # noqa: F403
from tests.sync.relay import cut
from tests.sync.world import EVENING, TABLE, SyncDesk, server_sql

WORDS = "Your table is ready early - come in whenever you like!"


@pytest.fixture
def sender(sync_db, server_clock, sms_fake):
    engine = make_engine(sync_db, 2)
    config = SmsConfig(
        sms_fake.account_sid, sms_fake.auth_token, sms_fake.from_number, sms_fake.url
    )
    log = LogChannel()
    channels = Channels(log, TwilioSms(config, httpx.Client(timeout=5)), False, True)
    yield Sender(
        sessions=make_sessionmaker(engine),
        channels=channels,
        clock=server_clock,
        sleep=lambda _seconds: None,
    )
    engine.dispose()


def staff_texts(sms_fake) -> list[dict]:
    """The texts with staff's words (the booking's own confirmation goes too)."""
    return [s for s in sms_fake.sent() if s["body"] == WORDS]


def ada_tonight(desk: SyncDesk) -> str:
    made = desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace",
            phone="0113 496 0123",
            party_size=2,
            start=EVENING,
            table_ids=(str(TABLE[7]),),
        ),
    )
    return made.booking.id


def test_a_text_asked_for_offline_reaches_the_guest_after_the_desk_reconnects(
    desks, relay, sender, sms_fake, sync_db
):
    reception, bar = desks("Reception"), desks("Bar")
    booking_id = ada_tonight(reception)
    reception.engine.sync_once()
    relay.fault = cut
    reception.engine.sync_once()  # the desk finds itself offline

    said = reception.desk.messages.send_sms(reception.staff(Role.RECEPTION), booking_id, WORDS)
    offline = reception.engine.sync_once()
    sender.run_once()
    before = staff_texts(sms_fake)
    relay.fault = None
    reception.engine.sync_once()
    sender.run_once()
    bar.engine.sync_once()

    assert said == "Text to Ada Lovelace queued. It goes when this desk is back online."
    assert offline.pending == 1 and before == []
    [sms] = staff_texts(sms_fake)
    assert sms["to"] == "+441134960123"
    assert server_sql(
        sync_db, "SELECT template, status FROM message_outbox WHERE template = 'custom_sms'"
    ) == [("custom_sms", "sent")]
    shown = bar.desk.messages.of_booking(booking_id)
    assert [
        (m.what, m.channel, m.to, m.status) for m in shown.messages if m.what == "Text from staff"
    ] == [("Text from staff", "SMS", "•••• 0123", "Sent")]
    assert reception.desk.messages.of_booking(booking_id).waiting == []
