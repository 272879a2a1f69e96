"""Email through the real SMTP channel to a real SMTP server, read back as a guest's mail
program reads it."""

import uuid
from datetime import UTC, datetime

import pytest

from app.domain.messages.facts import Facts
from app.domain.messages.templates import Templates
from app.domain.messages.wording import TemplateName
from server.messages.compose import email_for
from server.messages.ports import Email, SendFailed
from server.messages.smtp import SmtpChannel, SmtpConfig
from tests.smtp_server.server import PASSWORD, USERNAME
from tests.stripe_fake.processes import free_port

LINK = "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8i9J0#fidkdWxOYHwnPyd1"
KEY = "0b9a6d1e-5c55-4c1e-9f5e-2d3b7e1c4a01"


def deposit_email(venue):
    facts = Facts(
        venue=venue,
        guest_name="Priya Shah",
        reference="7KQ2M9XPRT4",
        start=datetime(2026, 12, 6, 0, 30, tzinfo=UTC),  # after midnight: Saturday night
        party_size=8,
        deposit_pence=8000,
        link=LINK,
        deadline=datetime(2026, 12, 4, 18, 0, tzinfo=UTC),
    )
    rendered = Templates().render(TemplateName.DEPOSIT_REQUESTED, facts)
    return email_for(rendered, "priya@example.org", KEY, "backroom.example")


def config(server, **changes) -> SmtpConfig:
    base = {
        "host": server.host,
        "port": server.port,
        "security": server.security,
        "sender": "The Backroom <bookings@backroom.example>",
        "ca_file": server.ca_file,
        "timeout": 5,
    }
    return SmtpConfig(**(base | changes))


def test_a_deposit_request_arrives_with_its_subject_reference_time_and_link(venue, smtp_server):
    SmtpChannel(config(smtp_server)).send_email(deposit_email(venue))

    [mail] = smtp_server.recorder.messages()
    assert mail["To"] == "priya@example.org"
    assert mail["From"] == "The Backroom <bookings@backroom.example>"
    assert mail["Subject"] == (
        "A deposit for your booking at The Backroom, Saturday night, 00:30 "
        "(the early hours of Sunday 6 December)"
    )
    assert mail["Message-ID"] == f"<{uuid.uuid5(uuid.NAMESPACE_URL, KEY)}@backroom.example>"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Booking reference: 7KQ2-M9XP-RT4" in text
    assert "a deposit of £80.00" in text
    assert f"Please pay by Friday 4 December at 18:00:\n{LINK}" in text
    assert f'<a href="{LINK}">' in html


def test_the_envelope_goes_to_the_guest_from_the_venue(venue, smtp_server):
    SmtpChannel(config(smtp_server)).send_email(deposit_email(venue))

    [delivery] = smtp_server.recorder.deliveries
    assert delivery.rcpt_tos == ["priya@example.org"]
    assert delivery.mail_from == "bookings@backroom.example"


def test_mail_goes_over_tls_with_the_relays_login(venue, smtp_tls):
    channel = SmtpChannel(config(smtp_tls, username=USERNAME, password=PASSWORD))

    channel.send_email(deposit_email(venue))

    [mail] = smtp_tls.recorder.messages()
    assert "7KQ2-M9XP-RT4" in mail.get_body(("plain",)).get_content()


def test_a_wrong_password_is_a_failure_no_retry_will_mend(venue, smtp_tls):
    channel = SmtpChannel(config(smtp_tls, username=USERNAME, password="wrong"))

    with pytest.raises(SendFailed) as failed:
        channel.send_email(deposit_email(venue))

    assert not failed.value.retryable
    assert failed.value.code == "535"
    assert smtp_tls.recorder.deliveries == []


def test_a_relay_whose_certificate_is_not_trusted_is_not_sent_to(venue, smtp_tls):
    channel = SmtpChannel(config(smtp_tls, ca_file=None))

    with pytest.raises(SendFailed, match="certificate") as failed:
        channel.send_email(deposit_email(venue))

    assert not failed.value.retryable
    assert smtp_tls.recorder.deliveries == []


def test_a_busy_relay_is_tried_again_and_a_refused_address_is_not(venue, smtp_server):
    smtp_server.recorder.refuse_next("451 4.3.0 Try again later")
    smtp_server.recorder.refuse_next("550 5.1.1 No such mailbox")
    channel = SmtpChannel(config(smtp_server))

    with pytest.raises(SendFailed) as busy:
        channel.send_email(deposit_email(venue))
    with pytest.raises(SendFailed) as refused:
        channel.send_email(deposit_email(venue))

    assert (busy.value.retryable, busy.value.code) == (True, "451")
    assert (refused.value.retryable, refused.value.code) == (False, "550")
    assert smtp_server.recorder.deliveries == []


def test_a_relay_that_is_down_is_tried_again():
    channel = SmtpChannel(SmtpConfig(host="127.0.0.1", port=free_port(), security="plain"))

    with pytest.raises(SendFailed) as failed:
        channel.send_email(Email("a@example.org", "s", "t", "<p>t</p>", "<k@backroom.example>"))

    assert failed.value.retryable
