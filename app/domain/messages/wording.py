"""The default words of every guest message, in British English.

A venue may replace any of them (``templates.Templates``); whatever it writes is held
to the same checks as these: known placeholders only, and an SMS that stays one
GSM-7 message for a guest name of 20 characters.

Placeholders (``facts.fields``): {guest} {first} {venue} {venue_sms} {ref} {party}
{guests} {when} {when_short} {was} {was_short} {amount} {refund} {link} {sms_link}
{deadline} {deadline_short} {until} {why} (the email's reason, a paragraph of its
own). Replies are digits: 1 and 9 (never YES or STOP
words, which carriers read as opt-in and opt-out keywords).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TemplateName(StrEnum):
    BOOKING_CREATED = "booking_created"
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_MOVED = "booking_moved"
    BOOKING_CANCELLED = "booking_cancelled"
    DEPOSIT_REQUESTED = "deposit_requested"
    DEPOSIT_EXPIRING = "deposit_expiring"
    DEPOSIT_PAID = "deposit_paid"
    DEPOSIT_REFUNDED = "deposit_refunded"
    OFFER_MADE = "offer_made"
    OFFER_EXPIRED = "offer_expired"
    REMINDER = "reminder"

    @property
    def marketing(self) -> bool:
        """Whether this message markets (news, offers) rather than serves a booking the
        guest made: only sent with the guest's consent for its channel
        (app.domain.consent.may_send_marketing)."""
        return self in MARKETING


# Every message today is transactional (it serves a booking the guest asked for) and
# needs no marketing consent. A marketing template is added here when there is one.
MARKETING: frozenset[TemplateName] = frozenset()


class StaffTemplate(StrEnum):
    """Messages staff write themselves (app.domain.messages.staff), beside the templates."""

    CUSTOM_SMS = "custom_sms"


@dataclass(frozen=True, slots=True)
class Wording:
    subject: str
    body: str
    sms: str


_SIGN_OFF = "\n\nSee you soon,\n{venue}"
_REF = "Booking reference: {ref}"

T = TemplateName
DEFAULTS: dict[TemplateName, Wording] = {
    T.BOOKING_CREATED: Wording(
        "Your booking at {venue}: {when}",
        "Hello {guest},\n\nThank you for booking a table for {guests} at {venue} on {when}."
        "{package_note}\n\n"
        + _REF
        + "\n\nTo confirm, reply 1 to our text message; to cancel, reply 9."
        + _SIGN_OFF,
        "{venue_sms}: {first}, your table for {party} is booked for {when_short}, ref {ref}. "
        "Reply 1 to confirm, 9 to cancel.",
    ),
    T.BOOKING_CONFIRMED: Wording(
        "Confirmed: {venue}, {when}",
        "Hello {guest},\n\nYour table for {guests} at {venue} on {when} is confirmed."
        "{package_note}\n\n"
        + _REF
        + "\n\nIf your plans change, reply 9 to our text message to cancel."
        + _SIGN_OFF,
        "{venue_sms}: {first}, your table for {party} on {when_short} is confirmed, ref {ref}. "
        "Reply 9 to cancel.",
    ),
    T.BOOKING_MOVED: Wording(
        "Your booking at {venue} has moved to {when}",
        "Hello {guest},\n\nYour booking at {venue} has moved to {when} "
        "(it was {was}). It is for {guests}.\n\n" + _REF + "\n\nIf the new time does not suit "
        "you, reply 9 to our text message to cancel, or call us." + _SIGN_OFF,
        "{venue_sms}: booking {ref} has moved to {when_short} (was {was_short}). "
        "Reply 9 to cancel.",
    ),
    T.BOOKING_CANCELLED: Wording(
        "Cancelled: your booking at {venue}, {when}",
        "Hello {guest},\n\nYour booking for {guests} at {venue} on {when} is cancelled.{why}\n\n"
        + _REF
        + "\n\nWe hope to see you another time.\n\n{venue}",
        "{venue_sms}: {first}, your booking {ref} for {when_short} is cancelled. "
        "We hope to see you another time.",
    ),
    T.DEPOSIT_REQUESTED: Wording(
        "A deposit for your booking at {venue}, {when}",
        "Hello {guest},\n\n{venue} asks a deposit of {amount} to hold your table for {guests} "
        "on {when}.\n\nPlease pay by {deadline}:\n{link}\n\n" + _REF + _SIGN_OFF,
        "{venue_sms}: please pay the {amount} deposit for booking {ref} by {deadline_short}: "
        "{sms_link}",
    ),
    T.DEPOSIT_EXPIRING: Wording(
        "Reminder: your deposit for {venue} is still due",
        "Hello {guest},\n\nYour deposit of {amount} for {when} at {venue} is still due. "
        "The payment link closes {deadline}:\n{link}\n\n" + _REF + _SIGN_OFF,
        "{venue_sms}: your {amount} deposit for booking {ref} is still due. "
        "The link closes {deadline_short}: {sms_link}",
    ),
    T.DEPOSIT_PAID: Wording(
        "Deposit received: {venue}, {when}",
        "Hello {guest},\n\nThank you: your deposit of {amount} for your table for {guests} "
        "on {when} is paid.\n\n" + _REF + _SIGN_OFF,
        "{venue_sms}: thank you, {first}. Your {amount} deposit for booking {ref} "
        "({when_short}) is paid.",
    ),
    T.DEPOSIT_REFUNDED: Wording(
        "Deposit refunded: {venue}",
        "Hello {guest},\n\nWe have refunded {refund} of your deposit for {when} at {venue}. "
        "It can take up to 10 working days to reach your card.\n\n" + _REF + "\n\n{venue}",
        "{venue_sms}: {first}, we have refunded {refund} for booking {ref}. "
        "It can take up to 10 working days to reach your card.",
    ),
    T.OFFER_MADE: Wording(
        "A table is free at {venue}",
        "Hello {guest},\n\nA table for {guests} is free at {venue} for {when}. "
        "We are holding it for you until {until}: reply 1 to our text message to take it, "
        "or 9 to pass it on." + _SIGN_OFF,
        "{venue_sms}: {first}, a table for {party} is free at {when_short}. "
        "Reply 1 by {until} to take it or 9 to pass.",
    ),
    T.OFFER_EXPIRED: Wording(
        "The table at {venue} has gone",
        "Hello {guest},\n\nWe did not hear from you in time, so the table we offered has gone "
        "to the next guest. You are still on our waitlist for {when}.\n\n{venue}",
        "{venue_sms}: {first}, the table we offered has gone to the next guest. "
        "You are still on our waitlist for {when_short}.",
    ),
    T.REMINDER: Wording(
        "See you {when}: {venue}",
        "Hello {guest},\n\nA reminder of your table for {guests} at {venue} on {when}."
        "{package_note}\n\n"
        + _REF
        + "\n\nReply 1 to our text message to confirm you are coming, or 9 to cancel."
        + _SIGN_OFF,
        "{venue_sms}: see you {when_short}, {first}: table for {party}, ref {ref}. "
        "Reply 1 to confirm, 9 to cancel.",
    ),
}
