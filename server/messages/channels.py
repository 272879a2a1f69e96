"""Which channels the server has, from its settings: email if an SMTP host is set, SMS if
an account is, and the log for whichever is missing."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from server.messages.log_channel import LogChannel
from server.messages.ports import EmailChannel, SmsChannel
from server.messages.smtp import SmtpChannel, SmtpConfig
from server.messages.twilio import SmsConfig, TwilioSms
from server.settings import Settings


@dataclass(frozen=True, slots=True)
class Channels:
    email: EmailChannel
    sms: SmsChannel
    email_on: bool
    sms_on: bool


def smtp_config(s: Settings) -> SmtpConfig | None:
    if not s.smtp_host:
        return None
    return SmtpConfig(
        host=s.smtp_host,
        port=s.smtp_port,
        security=s.smtp_security,
        username=s.smtp_username,
        password=s.smtp_password.get_secret_value() if s.smtp_password else None,
        sender=s.smtp_from,
        ca_file=s.smtp_ca_file,
        timeout=s.smtp_timeout_seconds,
    )


def sms_config(s: Settings) -> SmsConfig | None:
    token = s.sms_auth_token.get_secret_value() if s.sms_auth_token else ""
    if not (s.sms_account_sid and token and s.sms_from_number):
        return None
    return SmsConfig(
        account_sid=s.sms_account_sid,
        auth_token=token,
        from_number=s.sms_from_number,
        api_base=s.sms_api_base,
        timeout=s.sms_timeout_seconds,
    )


def channels_from(s: Settings, client: httpx.Client | None = None) -> Channels:
    log = LogChannel()
    smtp, sms = smtp_config(s), sms_config(s)
    return Channels(
        email=SmtpChannel(smtp) if smtp else log,
        sms=TwilioSms(sms, client) if sms else log,
        email_on=smtp is not None,
        sms_on=sms is not None,
    )
