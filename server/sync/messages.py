"""Judging ``send_sms`` and ``resend_message``: queue a guest message in the intent's
transaction (server.messages.outbox.enqueue, the intent's mutation id as its cause).

Nothing is sent here: the sender worker sends after commit, exactly once
(docs/messages.md). What may be sent is the one meaning's (app.protocol.meaning:
``sms_to_send``, ``may_resend``), so the desk's form refuses exactly what this does. A
number or address the guest stopped (STOP) is refused with the reason, before anything
is written.
"""

from __future__ import annotations

import uuid

from app.domain.messages.staff import template_of
from app.domain.messages.templates import Rendered
from app.domain.messages.wording import StaffTemplate
from app.protocol import meaning
from app.protocol.intents import ResendMessage, SendSms
from server.messages.models import OutboxMessage
from server.messages.outbox import enqueue, suppressed_because
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict
from server.sync.models import Booking, Customer


def send_sms(ctx: IntentContext, m: SendSms) -> Verdict:
    ctx.require(*meaning.required_actions(m.args, None))
    text = meaning.sms_to_send(m.args)
    booking, guest = _booking_and_guest(ctx, m.entity_id)
    if not guest.phone:
        raise Rejected(f"{guest.name} has no phone number to text.")
    _not_stopped(ctx, "sms", guest.phone, guest.name)
    rendered = Rendered(StaffTemplate.CUSTOM_SMS, subject="", text=text, html="", sms=text)
    _queue(ctx, m, booking.id, rendered, "sms", guest.phone)
    return APPLIED


def resend_message(ctx: IntentContext, m: ResendMessage) -> Verdict:
    ctx.require(*meaning.required_actions(m.args, None))
    row = ctx.session.get(OutboxMessage, m.entity_id, with_for_update=True)
    if row is None or row.venue_id != ctx.venue_id:
        raise Rejected("There is no such guest message in this venue.")
    meaning.may_resend(row.status)
    recipient, name = row.recipient, "The guest"
    if row.booking_id is not None:
        _, guest = _booking_and_guest(ctx, row.booking_id)
        # The guest's address now: staff may have put a wrong number right since.
        current = guest.phone if row.channel == "sms" else guest.email
        recipient, name = current or recipient, guest.name
    _not_stopped(ctx, row.channel, recipient, name)
    rendered = Rendered(
        template_of(row.template),
        subject=row.subject or "",
        text=row.body,
        html=row.html or "",
        sms=row.body,
    )
    _queue(ctx, m, row.booking_id, rendered, row.channel, recipient)
    return APPLIED


def _booking_and_guest(ctx: IntentContext, booking_id: uuid.UUID) -> tuple[Booking, Customer]:
    booking = ctx.session.get(Booking, booking_id)
    if booking is None or booking.venue_id != ctx.venue_id:
        raise Rejected("That booking is not on the server.")
    guest = ctx.session.get(Customer, booking.customer_id)
    assert guest is not None  # a booking's guest is a foreign key
    return booking, guest


def _not_stopped(ctx: IntentContext, channel: str, recipient: str, name: str) -> None:
    stopped = suppressed_because(ctx.session, ctx.venue_id, channel, recipient)
    if stopped is not None:
        day = ctx.rules.venue.local(stopped.since)
        way = "texts" if channel == "sms" else "emails"
        raise Rejected(
            f"{name} asked us to stop sending {way} ({stopped.reason}, {day:%d %b %H:%M}); "
            "nothing can be sent until they opt back in (START)."
        )


def _queue(
    ctx: IntentContext,
    m: SendSms | ResendMessage,
    booking_id: uuid.UUID | None,
    rendered: Rendered,
    channel: str,
    recipient: str,
) -> None:
    enqueue(
        ctx.session,
        venue_id=ctx.venue_id,
        booking_id=booking_id,
        cause=str(m.mutation_id),
        rendered=rendered,
        email=recipient if channel == "email" else None,
        phone=recipient if channel == "sms" else None,
        due_at=ctx.now,
    )
