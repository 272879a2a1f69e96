"""The ports every channel fulfils, so the sender never knows SMTP from SMS from a log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    # Derived from the outbox's idempotency key: the same message always carries the
    # same Message-ID, so a mail system that sees it twice can tell.
    message_id: str


@dataclass(frozen=True, slots=True)
class Sms:
    to: str
    body: str
    # Where the provider reports delivered / failed / undelivered; None: no reports.
    status_callback: str | None = None


@dataclass(frozen=True, slots=True)
class Sent:
    """The provider took the message: its id there, and its status as it said it."""

    provider_id: str
    status: str = "sent"


class SendFailed(Exception):
    """The provider did not take the message. ``retryable``: trying again may work
    (a timeout, a 4xx SMTP reply, HTTP 429 or 5xx); else it never will (a refused
    address, a number that opted out)."""

    def __init__(self, reason: str, *, retryable: bool, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retryable, self.code = reason, retryable, code


class EmailChannel(Protocol):
    def send_email(self, email: Email) -> Sent: ...


class SmsChannel(Protocol):
    def send_sms(self, sms: Sms) -> Sent: ...

    def find_sent(self, sms: Sms, since: datetime) -> list[Sent]:
        """The provider's records of ``sms`` (same number, same words) made at or after
        ``since``, newest first: how a sender that died mid-send learns whether the
        provider took it."""
        ...
