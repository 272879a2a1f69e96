"""The channel of a venue with neither SMTP nor SMS: each message is written to the log.

Staff still see on the desk what would have been said; nothing reaches the guest.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from server.messages.ports import Email, Sent, Sms

log = logging.getLogger("backroom.messages")


class LogChannel:
    def __init__(self) -> None:
        self.emails: list[Email] = []
        self.texts: list[Sms] = []

    def send_email(self, email: Email) -> Sent:
        self.emails.append(email)
        log.info("email not sent (no SMTP configured) to %s: %s", email.to, email.subject)
        return Sent(provider_id=f"log-{uuid.uuid4()}", status="logged")

    def send_sms(self, sms: Sms) -> Sent:
        self.texts.append(sms)
        log.info("SMS not sent (no SMS provider configured) to %s: %s", sms.to, sms.body)
        return Sent(provider_id=f"log-{uuid.uuid4()}", status="logged")

    def find_sent(self, sms: Sms, since: datetime) -> list[Sent]:
        return []
