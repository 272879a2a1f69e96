"""Which channels the server has, from BACKROOM_SMTP_* and BACKROOM_SMS_* as an operator
sets them."""

import pytest
from pydantic import ValidationError

from server.messages.channels import channels_from
from server.messages.log_channel import LogChannel
from server.messages.smtp import SmtpChannel
from server.messages.twilio import TwilioSms
from server.settings import Settings

DB = "postgresql+psycopg://nobody@127.0.0.1/none"


def settings_from(monkeypatch, **env) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(f"BACKROOM_{name}", value)
    return Settings(database_url=DB)


def test_smtp_and_sms_settings_give_both_channels(monkeypatch):
    s = settings_from(
        monkeypatch,
        SMTP_HOST="smtp.example.org",
        SMTP_PORT="465",
        SMTP_SECURITY="ssl",
        SMTP_USERNAME="bookings",
        SMTP_PASSWORD="secret",
        SMTP_FROM="The Backroom <bookings@thebackroom.example>",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="token",
        SMS_FROM_NUMBER="+447700900000",
    )

    channels = channels_from(s)

    assert isinstance(channels.email, SmtpChannel) and isinstance(channels.sms, TwilioSms)
    smtp = channels.email.config
    assert (smtp.host, smtp.port, smtp.security, smtp.password) == (
        "smtp.example.org",
        465,
        "ssl",
        "secret",
    )
    assert smtp.domain == "thebackroom.example"
    assert channels.sms.config.messages_url == (
        "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    )


def test_nothing_configured_logs_both(monkeypatch):
    channels = channels_from(settings_from(monkeypatch))

    assert isinstance(channels.email, LogChannel) and isinstance(channels.sms, LogChannel)
    assert (channels.email_on, channels.sms_on) == (False, False)


def test_an_sms_account_without_its_token_is_no_sms(monkeypatch):
    channels = channels_from(
        settings_from(monkeypatch, SMS_ACCOUNT_SID="AC123", SMS_FROM_NUMBER="+447700900000")
    )

    assert not channels.sms_on


def test_an_unknown_tls_mode_is_refused_with_the_setting_named(monkeypatch):
    with pytest.raises(ValidationError, match="smtp_security"):
        settings_from(monkeypatch, SMTP_HOST="smtp.example.org", SMTP_SECURITY="tls")


def test_an_smtp_host_without_the_venues_sender_is_refused_naming_the_setting(monkeypatch):
    with pytest.raises(ValidationError, match="BACKROOM_SMTP_FROM: name the venue's sender"):
        settings_from(monkeypatch, SMTP_HOST="smtp.example.org")

    named = settings_from(
        monkeypatch, SMTP_HOST="smtp.example.org", SMTP_FROM="The Snug <bookings@thesnug.example>"
    )
    assert channels_from(named).email_on
