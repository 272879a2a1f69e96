"""Which guest messages a change to a booking causes: the one rule every sender calls.

The server's judges of pushed intents, the payment webhook and reconciliation, the
link writer and the expiry release all ask ``causes`` what to tell the guest, and
``reminders_after`` what becomes of the booking's reminders. Pure: the server renders
and queues what it answers (server.messages), in the transaction of the change.

A change is named by the intent that made it (``IntentName`` values, e.g. ``cancel``)
or by one of the server's own ``Event`` s; the booking before (``None`` when it is new)
and after. Most messages follow from the booking alone (created, confirmed, moved,
cancelled, deposit paid); a payment link made or sent again, and a refund, are said by
their event (a booking's second partial refund looks the same before and after).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.messages.reminders import said
from app.domain.messages.wording import TemplateName

S = BookingStatus
T = TemplateName
# A booking the guest holds a table in the future with: told of it, reminded of it.
BOOKED = frozenset({S.PENDING, S.CONFIRMED})
# Deposits still owed before the booking is confirmed: the first word the guest gets is
# the payment link's (``Event.LINK_MADE``), not a "reply 1 to confirm" they cannot act on.
_OWED = frozenset({DepositState.REQUIRED, DepositState.REQUESTED})


class Event(StrEnum):
    """What changed a booking on the server besides an intent judged."""

    # The payment link of a request exists at Stripe (server.payments.settle).
    LINK_MADE = "deposit_link_made"
    # A manager asked for the live link to be sent again (the intent's name).
    LINK_RESENT = "resend_deposit_link"
    # Stripe made a refund of (part of) the deposit.
    REFUNDED = "deposit_refunded"
    # The link expired unpaid and the booking was released (cancelled).
    LINK_EXPIRED = "deposit_link_expired"
    # A guest's SMS reply (1 / 9) was acted on.
    REPLY = "sms_reply"


def causes(
    intent: str, before: Booking | None, after: Booking | None, now: datetime | None = None
) -> tuple[TemplateName, ...]:
    """The messages to send the guest because ``intent`` took ``before`` to ``after``,
    in the order they are sent. ``now``: when the server learns of the change; a booking
    whose time has come is told nothing more about itself (a booking made offline and
    pushed after its start, a night uploaded by a desk connecting late), but for a refund."""
    if after is None:
        return ()
    if intent in (Event.LINK_MADE, Event.LINK_RESENT):
        return (T.DEPOSIT_REQUESTED,) if after.status in BOOKED else ()
    if intent == Event.REFUNDED:
        return (T.DEPOSIT_REFUNDED,)
    if now is not None and after.start <= now:
        return ()
    if before is None:
        return (T.BOOKING_CREATED,) if _told_of(after) else ()
    out: list[TemplateName] = []
    was, now = before.status, after.status
    if now is S.CANCELLED and was is not S.CANCELLED and was in BOOKED | {S.WAITLISTED}:
        out.append(T.BOOKING_CANCELLED)
    elif was in (S.WAITLISTED, S.CANCELLED) and _told_of(after):
        out.append(T.BOOKING_CREATED)  # off the waitlist onto a table, or a cancel undone
    elif was in BOOKED and now in BOOKED and after.start != before.start:
        out.append(T.BOOKING_MOVED)
    if before.deposit_state is not DepositState.PAID and after.deposit_state is DepositState.PAID:
        out.append(T.DEPOSIT_PAID)
    if was is S.PENDING and now is S.CONFIRMED:
        out.append(T.BOOKING_CONFIRMED)
    return tuple(out)


def _told_of(b: Booking) -> bool:
    """A booking with a table ahead that asks nothing of the guest first."""
    return b.status is S.CONFIRMED or (b.status is S.PENDING and b.deposit_state not in _OWED)


class Reminders(StrEnum):
    SCHEDULE = "schedule"
    CANCEL = "cancel"


def reminders_after(before: Booking | None, after: Booking | None) -> Reminders | None:
    """What becomes of the booking's reminders: (re)scheduled when it is made, taken off
    the waitlist (pending or confirmed), or changed in what they say of it (``said``: its
    time and party size); cancelled when it is no longer coming (cancelled, no-show, seated or done,
    back on the waitlist, in conflict)."""
    if after is None:
        return None
    booked_now = after.status in BOOKED
    booked_before = before is not None and before.status in BOOKED
    if booked_now and (
        not booked_before
        or before is None
        or said(before.start, before.party_size) != said(after.start, after.party_size)
    ):
        return Reminders.SCHEDULE
    if booked_before and not booked_now:
        return Reminders.CANCEL
    return None
