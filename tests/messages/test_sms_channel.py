"""SMS through the real Twilio-shaped adapter to the SMS fake, a real HTTP process."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.domain.messages.facts import Facts
from app.domain.messages.templates import Templates
from app.domain.messages.wording import TemplateName
from server.messages.compose import sms_for
from server.messages.ports import SendFailed, Sms
from server.messages.signature import valid_signature
from server.messages.twilio import SmsConfig, TwilioSms

GUEST = "+447700900123"


def channel(fake, **changes) -> TwilioSms:
    config = {
        "account_sid": fake.account_sid,
        "auth_token": fake.auth_token,
        "from_number": fake.from_number,
        "api_base": fake.url,
        "timeout": 5,
    }
    return TwilioSms(SmsConfig(**(config | changes)), httpx.Client(timeout=5))


def confirmation(venue) -> Sms:
    facts = Facts(
        venue=venue,
        guest_name="Priya Shah",
        reference="7KQ2M9XPRT4",
        start=datetime(2026, 12, 6, 0, 30, tzinfo=UTC),
        party_size=4,
    )
    return sms_for(Templates().render(TemplateName.BOOKING_CONFIRMED, facts), GUEST)


def test_a_confirmation_reaches_the_provider_as_the_guest_will_read_it(venue, sms_fake):
    sent = channel(sms_fake).send_sms(confirmation(venue))

    [message] = sms_fake.sent()
    assert (sent.provider_id, sent.status) == (message["sid"], "queued")
    assert message["to"] == GUEST and message["from"] == sms_fake.from_number
    assert message["body"] == (
        "The Backroom: Priya, your table for 4 on Sat 5 Dec night, 00:30 is confirmed, "
        "ref 7KQ2-M9XP-RT4. Reply 9 to cancel."
    )


def test_the_provider_reports_delivery_to_the_status_callback_signed(venue, sms_fake, sms_receiver):
    hook = f"{sms_receiver.url}/v1/messages/sms/status"
    sms = Sms(GUEST, "The Backroom: see you at 21:00", status_callback=hook)
    sent = channel(sms_fake).send_sms(sms)

    sms_fake.report(sent.provider_id, "delivered")
    sms_fake.report(sent.provider_id, "undelivered")

    [(path, delivered, signature), (_, undelivered, _)] = sms_receiver.posts
    assert path == "/v1/messages/sms/status"
    assert dict(delivered)["MessageSid"] == sent.provider_id
    assert dict(delivered)["MessageStatus"] == "delivered"
    assert dict(undelivered)["MessageStatus"] == "undelivered"
    assert dict(undelivered)["ErrorCode"] == "30003"
    assert valid_signature(sms_fake.auth_token, hook, delivered, signature)


def test_a_guests_reply_comes_in_signed_with_the_account_token(sms_fake, sms_receiver):
    hook = f"{sms_receiver.url}/v1/messages/sms/inbound"

    sms_fake.reply(GUEST, "1", hook)

    [(_, params, signature)] = sms_receiver.posts
    assert dict(params)["Body"] == "1" and dict(params)["From"] == GUEST
    assert valid_signature(sms_fake.auth_token, hook, params, signature)
    assert not valid_signature("another-token", hook, params, signature)


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [(500, 20500, True), (503, 20503, True), (429, 20429, True), (400, 21211, False)],
)
def test_provider_errors_say_whether_trying_again_can_help(
    venue, sms_fake, status, code, retryable
):
    sms_fake.fail_next(status, code=code)

    with pytest.raises(SendFailed) as failed:
        channel(sms_fake).send_sms(confirmation(venue))

    assert (failed.value.retryable, failed.value.code) == (retryable, str(code))
    assert sms_fake.sent() == []


def test_a_number_that_texted_stop_is_refused_for_good(venue, sms_fake, sms_receiver):
    sms_fake.reply(GUEST, "STOP", f"{sms_receiver.url}/v1/messages/sms/inbound")

    with pytest.raises(SendFailed) as failed:
        channel(sms_fake).send_sms(confirmation(venue))

    assert (failed.value.retryable, failed.value.code) == (False, "21610")


def test_a_wrong_auth_token_is_refused(venue, sms_fake):
    with pytest.raises(SendFailed) as failed:
        channel(sms_fake, auth_token="wrong").send_sms(confirmation(venue))

    assert (failed.value.retryable, failed.value.code) == (False, "20003")


def test_an_unreachable_provider_is_tried_again(venue, sms_fake):
    from tests.stripe_fake.processes import free_port

    with pytest.raises(SendFailed) as failed:
        channel(sms_fake, api_base=f"http://127.0.0.1:{free_port()}").send_sms(confirmation(venue))

    assert failed.value.retryable


def test_a_sender_that_died_mid_send_finds_what_the_provider_took(venue, sms_fake):
    before = datetime.now(UTC) - timedelta(seconds=1)
    sms = confirmation(venue)
    sent = channel(sms_fake).send_sms(sms)
    other = Sms(GUEST, "another message")

    found = channel(sms_fake).find_sent(sms, since=before)

    assert [f.provider_id for f in found] == [sent.provider_id]
    assert channel(sms_fake).find_sent(other, since=before) == []
    assert channel(sms_fake).find_sent(sms, since=datetime.now(UTC) + timedelta(minutes=1)) == []
