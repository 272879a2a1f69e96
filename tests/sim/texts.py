"""Guests answering by text, in the simulator: their waitlist offers and their bookings.

A desk's offer hold makes the server queue the guest's offer text (server/messages/
offers.py), and every booking its confirmation; the server's own sender sends them here
through an SMS channel that only counts (``SimSms``, behind the server's port). Guests
then answer on the provider's webhook, signed as the provider signs
(``POST /v1/messages/sms/inbound``). To an offer, "1" makes the server seat them on the
offered tables itself, while the offering desk still holds them, and "9" is left for
the desk running the offer, which passes it on when it pulls the reply. About a
booking, "1" confirms it and "9" cancels it, done by the server itself. None of these
is an intent, so the simulator notes each change the server makes (its kind, the
version it took, read at once, and a seating's offer hold) and the oracle judges it
with the independent model (tests/sim/model/replies.py) between the intents around it.
"""

from __future__ import annotations

import random
import uuid
from typing import Any
from urllib.parse import urlencode

from server.messages.channels import Channels
from server.messages.log_channel import LogChannel
from server.messages.ports import Sent, Sms
from server.messages.sender import Sender
from server.messages.signature import HEADER, twilio_signature
from tests.sim.oracle import select_all
from tests.sim.world import PUBLIC_URL, SMS_TOKEN

INBOUND = "/v1/messages/sms/inbound"
# How likely a guest with an offer answers before the next step (an offer lives for
# some of them), and how often with yes: mostly, as at a bar with a queue at the door.
ANSWERS = 0.5
YES = 0.65
# How likely one guest texted about their booking answers before a step, and how often
# to say they are coming (else they cancel).
BOOKING_ANSWERS = 0.15
COMING = 0.5


class SimSms:
    """The SMS provider: takes every text, delivers it at once, keeps nothing."""

    def __init__(self) -> None:
        self.sent = 0

    def send_sms(self, sms: Sms) -> Sent:
        self.sent += 1
        return Sent(provider_id=f"SMsim{self.sent}", status="sent")

    def find_sent(self, sms: Sms, since: Any) -> list[Sent]:
        return []


def send_texts(server: Any) -> int:
    """The server's sender, run until nothing is due: how many messages it sent."""
    sender = Sender(
        sessions=server.sessions,
        channels=Channels(LogChannel(), SimSms(), False, True),
        clock=server.clock,
        sleep=lambda _seconds: None,
    )
    sent = 0
    while done := sender.run_once():
        sent += done
    return sent


def offered(server: Any) -> list[dict[str, Any]]:
    """The guests texted an offer the server still holds open, oldest offer first."""
    with server.sessions() as s:
        return [
            row
            for row in select_all(
                s,
                "SELECT DISTINCT h.booking_id, c.phone, b.reference, h.fencing_token "
                "FROM holds h JOIN bookings b ON b.id = h.booking_id "
                "JOIN customers c ON c.id = b.customer_id "
                "JOIN message_outbox o ON o.booking_id = b.id AND o.channel = 'sms' "
                "AND o.template = 'offer_made' AND o.status = 'sent' "
                "WHERE h.offer_until IS NOT NULL AND h.released_at IS NULL "
                "AND b.status = 'waitlisted' ORDER BY h.fencing_token",
            )
        ]


def texted_bookings(server: Any) -> list[dict[str, Any]]:
    """The guests texted about a booking still pending or confirmed (its confirmation,
    a move, a reminder), who may answer "1" (coming) or "9" (cancel)."""
    with server.sessions() as s:
        return select_all(
            s,
            "SELECT DISTINCT b.id AS booking_id, c.phone, b.reference "
            "FROM bookings b JOIN customers c ON c.id = b.customer_id "
            "JOIN message_outbox o ON o.booking_id = b.id AND o.channel = 'sms' "
            "AND o.status = 'sent' AND o.template IN "
            "('booking_created', 'booking_confirmed', 'booking_moved', 'reminder') "
            "WHERE b.status IN ('pending', 'confirmed') ORDER BY b.reference",
        )


def guest_texts(rng: random.Random, server: Any) -> str:
    """The server sends what is due; then, now and then, a guest with an offer on the way
    answers it, and a guest with a booking answers what they were texted about it ("1" or
    "9"), through the webhook. What happened, or "" if nothing."""
    said = []
    sent = send_texts(server)
    if sent:
        said.append(f"{sent} sent")
    offers = offered(server)
    if offers and rng.random() < ANSWERS:
        said.append(_answer(server, rng.choice(offers), "1" if rng.random() < YES else "9"))
    booked = texted_bookings(server)
    if booked and rng.random() < BOOKING_ANSWERS:
        body = "1" if rng.random() < COMING else "9"
        said.append(_answer(server, rng.choice(booked), body))
    return f"texts: {'; '.join(said)}" if said else ""


def _answer(server: Any, guest: dict[str, Any], body: str) -> str:
    """The guest's text reaches the webhook; what the server made of it is noted."""
    before = _bookings(server)
    form = [("MessageSid", f"SM{uuid.uuid4().hex}"), ("From", guest["phone"]), ("Body", body)]
    signed = twilio_signature(SMS_TOKEN, PUBLIC_URL + INBOUND, form)
    answer = server.client().post(
        INBOUND,
        content=urlencode(form),
        headers={HEADER: signed, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200, answer.text
    server.answered += 1
    changes = _changed(server, before)
    server.by_text += changes
    done = "".join(f" ({c['kind']})" for c in changes)
    return f"{guest['reference']} answered {body}{done}"


def _bookings(server: Any) -> dict[str, dict[str, Any]]:
    with server.sessions() as s:
        return {r["id"]: r for r in select_all(s, "SELECT id, status, version FROM bookings")}


def _changed(server: Any, before: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """What the server did on the guest's answer, read at once (nothing else runs), to
    whichever booking the answer was about: the kind of change and the version it took,
    and for a seating the offer's hold — its tables and time, as the desk asked them —
    for the oracle to judge (tests/sim/model/replies.py)."""
    now = server.clock.now()
    changes = []
    for booking_id, after in _bookings(server).items():
        was = before.get(booking_id)
        if was is None or after["version"] == was["version"]:
            continue
        change = {"version": after["version"], "booking_id": booking_id, "at": now}
        if was["status"] != "waitlisted":
            kind = "cancel" if after["status"] == "cancelled" else "confirm"
            changes.append(change | {"kind": kind})
            continue
        with server.sessions() as s:
            [hold] = select_all(
                s,
                "SELECT table_ids, start FROM holds WHERE booking_id = :booking "
                "AND offer_until IS NOT NULL AND released_at = :now",
                booking=booking_id,
                now=now,
            )
        changes.append(change | {"kind": "seat", **hold})
    return changes
