"""Guest messages as staff see and send them: the words for a template and a status,
the address a desk may hold, a custom SMS, and which messages may be sent again.

One home for each rule: the desk's form and views, and the server's judges of
``send_sms`` and ``resend_message``, all call these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.domain.errors import DomainError, InvalidInput
from app.domain.messages.gsm import SMS_SEPTETS, not_gsm, septets
from app.domain.messages.log import GuestMessage
from app.domain.messages.wording import StaffTemplate, TemplateName

T = TemplateName
TEMPLATE_WORDS: dict[str, str] = {
    T.BOOKING_CREATED.value: "Booking made",
    T.BOOKING_CONFIRMED.value: "Confirmation",
    T.BOOKING_MOVED.value: "Booking moved",
    T.BOOKING_CANCELLED.value: "Cancellation",
    T.DEPOSIT_REQUESTED.value: "Deposit link",
    T.DEPOSIT_EXPIRING.value: "Deposit link expiring",
    T.DEPOSIT_PAID.value: "Deposit received",
    T.DEPOSIT_REFUNDED.value: "Deposit refunded",
    T.OFFER_MADE.value: "Waitlist offer",
    T.OFFER_EXPIRED.value: "Waitlist offer expired",
    T.REMINDER.value: "Reminder",
    StaffTemplate.CUSTOM_SMS.value: "Text from staff",
}

STATUS_WORDS: dict[str, str] = {
    "pending": "Waiting to send",
    "sending": "Sending",
    "sent": "Sent",
    "delivered": "Delivered",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "suppressed": "Not sent: the guest opted out",
    "logged": "Not sent: no channel set up",
}

# What a reply did (app.domain.messages.replies.Action), in staff's words.
REPLY_WORDS: dict[str, str] = {
    "confirm": "Confirmed the booking",
    "cancel": "Asked to cancel",
    "accept_offer": "Accepted the offer",
    "decline_offer": "Declined the offer",
    "opt_out": "Opted out of texts",
    "opt_in": "Opted back in to texts",
    "staff": "For staff to read",
}

# A failed message may be sent again; one the guest stopped, or still on its way, not.
RESENDABLE = frozenset({"failed"})


def template_of(value: str) -> TemplateName | StaffTemplate:
    """A stored template name as the enum it is."""
    if value in StaffTemplate._value2member_map_:
        return StaffTemplate(value)
    return TemplateName(value)


def template_words(template: str) -> str:
    return TEMPLATE_WORDS.get(template, template.replace("_", " ").capitalize())


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def offer_text_words(m: GuestMessage | None, show_time: Callable[[datetime], str]) -> str:
    """How a waitlist offer's text stands, for the panel: "Texted 19:31, delivered"; nothing
    before the server has queued one (a desk with no server, or offline, texts no one)."""
    if m is None:
        return ""
    if m.status == "delivered" and m.sent_at is not None:
        return f"Texted {show_time(m.sent_at)}, delivered."
    if m.status == "sent" and m.sent_at is not None:
        return f"Texted {show_time(m.sent_at)}."
    if m.status == "failed":
        return "The text failed" + (f": {m.last_error}" if m.last_error else "") + ". Call them."
    return f"Text: {status_words(m.status)}."


def reply_words(action: str) -> str:
    return REPLY_WORDS.get(action, action)


def masked(channel: str, recipient: str) -> str:
    """The address as a desk shows it: enough to tell which one it went to (``•••• 4567``,
    ``j•••@example.com``), not the address itself. The desk already holds the guest's
    contact details on the guest; a message log repeating them in full, per message,
    for as long as the log is kept, is more than staff need (docs/messages.md)."""
    if channel == "email":
        local, at, domain = recipient.partition("@")
        return f"{local[:1]}•••{at}{domain}" if at else "•••"
    digits = [c for c in recipient if c.isdigit()]
    return f"•••• {''.join(digits[-4:])}" if len(digits) >= 4 else "••••"


def check_custom_sms(text: str) -> str:
    """A text staff typed for the guest, as it will be sent (trimmed), or refused with a
    clear message: not empty, only GSM-7 characters, at most one SMS (160 septets)."""
    body = text.strip()
    if not body:
        raise InvalidInput("text", "Type the text to send.")
    missing = not_gsm(body)
    if missing:
        shown = " ".join(missing[:5])
        raise InvalidInput(
            "text",
            f"A text can't carry {shown}; use plain letters (no emoji or curly quotes).",
        )
    length = septets(body)
    if length > SMS_SEPTETS:
        raise InvalidInput(
            "text",
            f"The text is {length} characters long; one SMS holds {SMS_SEPTETS} "
            "(^ { } [ ] ~ \\ | and € count as two).",
        )
    return body


def check_resendable(status: str) -> None:
    """Only a message that failed may be sent again (a new message, same words)."""
    if status not in RESENDABLE:
        raise DomainError(
            f"Only a failed message can be sent again; this one is {status_words(status).lower()}."
        )
