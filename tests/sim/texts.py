"""Guests answering their waitlist offers by text, in the simulator.

A desk's offer hold makes the server queue the guest's offer text (server/messages/
offers.py); the server's own sender sends it here through an SMS channel that only
counts (``SimSms``, behind the server's port). A guest then answers on the provider's
webhook, signed as the provider signs (``POST /v1/messages/sms/inbound``): "1" makes
the server seat them on the offered tables itself, while the offering desk still holds
them; "9" is left for the desk running the offer, which passes it on when it pulls the
reply. Neither is an intent, so the simulator notes each seating the server makes (its
version, read at once, and the offer's hold) and the oracle judges it with the
independent model (tests/sim/model/replies.py) between the intents around it.
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


def guest_texts(rng: random.Random, server: Any) -> str:
    """The server sends what is due; then, now and then, one guest with an offer on the
    way answers it, "1" or "9", through the webhook. What happened, or "" if nothing."""
    sent = send_texts(server)
    waiting = offered(server)
    if not waiting or rng.random() >= ANSWERS:
        return f"texts: {sent} sent" if sent else ""
    guest = rng.choice(waiting)
    body = "1" if rng.random() < YES else "9"
    form = [("MessageSid", f"SM{uuid.uuid4().hex}"), ("From", guest["phone"]), ("Body", body)]
    signed = twilio_signature(SMS_TOKEN, PUBLIC_URL + INBOUND, form)
    answer = server.client().post(
        INBOUND,
        content=urlencode(form),
        headers={HEADER: signed, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200, answer.text
    server.answered += 1
    seated = _seated(server, guest["booking_id"])
    if seated is not None:
        server.seatings.append(seated)
    return (
        f"texts: {sent} sent; {guest['reference']} answered {body}{' (seated)' if seated else ''}"
    )


def _seated(server: Any, booking_id: str) -> dict[str, Any] | None:
    """What the server did on the guest's answer, read at once (nothing else runs): if it
    seated them, the version it took, when, and the offer's hold — its tables and time,
    as the desk asked them — for the oracle to judge (tests/sim/model/replies.py)."""
    now = server.clock.now()
    with server.sessions() as s:
        [booking] = select_all(
            s, "SELECT status, version FROM bookings WHERE id = :id", id=booking_id
        )
        holds = select_all(
            s,
            "SELECT table_ids, start FROM holds WHERE booking_id = :booking "
            "AND offer_until IS NOT NULL AND released_at = :now",
            booking=booking_id,
            now=now,
        )
    if booking["status"] == "waitlisted":
        return None
    [hold] = holds
    return {"version": booking["version"], "booking_id": booking_id, "at": now, **hold}
