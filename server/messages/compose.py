"""A rendered message (app.domain.messages) as what a channel sends."""

from __future__ import annotations

import uuid

from app.domain.messages.templates import Rendered
from server.messages.ports import Email, Sms


def message_id(key: str, domain: str) -> str:
    """The Message-ID of the outbox message with idempotency key ``key``: the same on
    every attempt, so a second delivery after a crash is recognisably the same mail.
    A UUID made from the key (version 5): the key's colons have no place in a msg-id."""
    return f"<{uuid.uuid5(uuid.NAMESPACE_URL, key)}@{domain}>"


def email_for(rendered: Rendered, to: str, key: str, domain: str) -> Email:
    return Email(
        to=to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=message_id(key, domain),
    )


def sms_for(rendered: Rendered, to: str, status_callback: str | None = None) -> Sms:
    return Sms(to=to, body=rendered.sms, status_callback=status_callback)
