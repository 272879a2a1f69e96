"""Guests paying their deposit links through Stripe, in the simulator.

A desk asks for a payment link (``request_deposit``, tests/sim/actions.py ``link``);
the server judges it and, after the push's commit, makes the link at Stripe — here our
Stripe fake (tests/stripe_fake) through the real SDK, one fake process per simulator
process, emptied for each seed and its clock kept at the server's. Before each step,
now and then a guest pays an open link on Stripe's page, often after staff took the
deposit at the bar or cancelled the booking on a desk the server has not heard from.
Stripe's events reach the server's webhook signed as Stripe signs them, at once or
some steps late, in another order now and then, and now and then twice.

A payment is no intent: the server applies it itself. So the simulator notes what the
server did on each delivery (the version it took, the request, Stripe's session and
PaymentIntent as the event carries them, whether the booking took the money) for the
oracle to judge with the independent model (tests/sim/model/deposits.py ``paid_online``)
between the intents around it.
"""

from __future__ import annotations

import atexit
import random
from typing import Any

from tests.sim.oracle import select_all
from tests.stripe_fake.client import StripeFake
from tests.stripe_fake.processes import free_port, start_stripe_fake, stop
from tests.stripe_fake.webhooks import signature_header

WEBHOOK = "/v1/payments/webhook"
# How likely a guest with an open link pays it before a step, and how likely Stripe's
# events waiting to be sent are sent then (else they arrive some steps late).
PAYS = 0.3
DELIVERS = 0.6
# The card every guest pays with (Stripe's test Visa).
CARD = "4242424242424242"
# Stripe sends an event again now and then (a lost acknowledgement).
TWICE = 0.15
SHUFFLED = 0.3

_FAKE: StripeFake | None = None


def stripe_fake() -> StripeFake:
    """This process's Stripe fake, started on first use and stopped at exit (or when its
    parent, a pool's worker, is killed: ``--exit-with-parent``)."""
    global _FAKE
    if _FAKE is None:
        port = free_port()
        process = start_stripe_fake(port, extra=["--exit-with-parent"])
        atexit.register(stop, process)
        _FAKE = StripeFake(f"http://127.0.0.1:{port}")
    return _FAKE


def fresh(fake: StripeFake, public_url: str, now: int) -> None:
    """The fake emptied for a seed: its clock at the server's, its events held for the
    simulator to deliver (the server runs in-process, behind no socket the fake can call)."""
    fake.reset()
    fake.configure_webhook(public_url + WEBHOOK, mode="manual")
    fake.set_now(now)


def open_links(server: Any) -> list[dict[str, Any]]:
    """Links the server made and shows open, oldest request first."""
    with server.sessions() as s:
        return select_all(
            s,
            "SELECT r.id, r.session_id, b.reference FROM deposit_requests r "
            "JOIN bookings b ON b.id = r.booking_id "
            "WHERE r.kind = 'link' AND r.status = 'open' ORDER BY r.requested_at, r.id",
        )


def guest_payments(rng: random.Random, server: Any) -> str:
    """Now and then a guest pays an open link; Stripe's waiting events are sent now or
    later. What happened, or "" if nothing."""
    # The server may make a link in the coming step: Stripe's clock must be its clock.
    server.stripe.set_now(int(server.clock.now().timestamp()))
    said = []
    links = _payable(server)
    if links and rng.random() < PAYS:
        said.append(_pay(server, rng.choice(links)))
    if rng.random() < DELIVERS:
        said += deliver_waiting(rng, server)
    return f"stripe: {'; '.join(said)}" if said else ""


def at_closing(rng: random.Random, server: Any) -> str:
    """As the night ends, guests pay links still open (half of them), many after the party
    paid at the bar or was cancelled; Stripe then sends everything it holds."""
    server.stripe.set_now(int(server.clock.now().timestamp()))
    paid = [_pay(server, link) for link in _payable(server) if rng.random() < 0.5]
    said = paid + deliver_waiting(rng, server)
    return f"closing, stripe: {'; '.join(said)}" if said else ""


def _payable(server: Any) -> list[dict[str, Any]]:
    """Links still open at Stripe: one a guest paid may look open on the server until its
    events are delivered (no link expires within a night)."""
    return [k for k in open_links(server) if k["session_id"] not in server.paid_sessions]


def _pay(server: Any, link: dict[str, Any]) -> str:
    server.stripe.pay(link["session_id"], CARD)
    server.paid_sessions.add(link["session_id"])
    return f"{link['reference']} paid its link"


def deliver_waiting(rng: random.Random, server: Any) -> list[str]:
    """Every event Stripe holds is sent to the server's webhook (shuffled now and then,
    some twice), and what the server did on each is noted for the oracle."""
    fake: StripeFake = server.stripe
    # Only paying makes events here; nothing paid since the last delivery, nothing to send.
    if not server.paid_sessions - server.delivered:
        return []
    server.delivered |= server.paid_sessions
    waiting = [e["id"] for e in fake.pending()]
    if not waiting:
        return []
    fake.drop(waiting)
    if rng.random() < SHUFFLED:
        rng.shuffle(waiting)
    sent = [e for e in waiting for _ in range(2 if rng.random() < TWICE else 1)]
    said = [_deliver(server, fake, event_id) for event_id in sent]
    return [f"{len(sent)} events sent", *(s for s in said if s)]


def _deliver(server: Any, fake: StripeFake, event_id: str) -> str:
    answer = fake.http.get(
        f"/v1/events/{event_id}", headers={"Authorization": f"Bearer {fake.api_key}"}
    )
    answer.raise_for_status()
    # Stripe signs each delivery when it sends it; the raw bytes are what is signed.
    payload = answer.text
    signed = signature_header(payload, fake.webhook_secret, int(server.clock.now().timestamp()))
    before = _requests(server)
    reply = server.client().post(
        WEBHOOK,
        content=payload.encode(),
        headers={"Stripe-Signature": signed, "Content-Type": "application/json"},
    )
    assert reply.status_code == 200, f"the webhook answered {reply.status_code}: {reply.text}"
    event = answer.json()
    changes = _changed(server, before, event["data"]["object"])
    server.by_stripe += changes
    return "".join(f"{c['reference']} {c['kind']}" for c in changes)


def _requests(server: Any) -> dict[str, dict[str, Any]]:
    with server.sessions() as s:
        return {
            r["id"]: r
            for r in select_all(s, "SELECT id, booking_id, status, version FROM deposit_requests")
        }


def _changed(
    server: Any, before: dict[str, dict[str, Any]], session: dict[str, Any]
) -> list[dict[str, Any]]:
    """What the server did on one event, read at once (nothing else runs): each request
    it changed, with the version it took, whether its booking changed with it, and the
    session as Stripe sent it."""
    changes = []
    for request_id, after in _requests(server).items():
        was = before.get(request_id)
        if was is not None and was["version"] == after["version"]:
            continue
        with server.sessions() as s:
            [booking] = select_all(
                s,
                "SELECT reference, version FROM bookings WHERE id = :id",
                id=after["booking_id"],
            )
        changes.append(
            {
                "kind": f"link {after['status']}",
                "version": after["version"],
                "request_id": request_id,
                "booking_id": after["booking_id"],
                "reference": booking["reference"],
                "took": booking["version"] == after["version"],
                "at": server.clock.now(),
                "session_id": session.get("id"),
                "payment_ref": session.get("payment_intent"),
                "amount_pence": session.get("amount_total"),
                "request_of_session": (session.get("metadata") or {}).get("request_id"),
                "card_last4": CARD[-4:],
            }
        )
    return changes


# How likely a manager refunds a payment in Stripe's Dashboard the morning after, rather
# than (or as well as) at a desk.
IN_THE_DASHBOARD = 0.4


def in_the_dashboard(rng: random.Random, server: Any) -> str:
    """The morning after, now and then a manager refunds a guest in Stripe's Dashboard —
    all that is left of a payment, or part — instead of at a desk; the server's
    reconciliation then reads Stripe's events (the pass that records money moved outside
    Backroom: docs/payments.md, "Money moved in Stripe's Dashboard"). The refund carries
    none of the server's ids, as the Dashboard's do not; the oracle finds it in Stripe's
    own list of refunds (tests/sim/checker.py ``stripe_refunds``)."""
    from server.payments.outside import moved_outside

    if rng.random() >= IN_THE_DASHBOARD:
        return ""
    fake: StripeFake = server.stripe
    fake.set_now(int(server.clock.now().timestamp()))
    dashboard = fake.client()
    said = []
    left = _left_at_stripe(dashboard)
    if left:
        intent, most = rng.choice(left)
        amount = most if rng.random() < 0.5 or most < 200 else rng.randrange(100, most, 100)
        dashboard.v1.refunds.create(params={"payment_intent": intent, "amount": amount})
        said.append(f"refunded {amount}p of {intent[-6:]} in Stripe's Dashboard")
    app = server.client().app  # type: ignore[attr-defined]
    read = moved_outside(server.sessions, app.state.payments)
    assert not read.unread, read.unread
    return "; ".join([*said, f"the server recorded {read.recorded}"])


def _left_at_stripe(dashboard: Any) -> list[tuple[str, int]]:
    """Every payment Stripe took and has not wholly given back, with what is left."""
    left = []
    for intent in dashboard.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter():
        if intent.status != "succeeded":
            continue
        refunds = dashboard.v1.refunds.list(params={"payment_intent": intent.id, "limit": 100})
        rest = intent.amount_received - sum(r.amount for r in refunds.auto_paging_iter())
        if rest > 0:
            left.append((intent.id, rest))
    return left


# How likely, the morning after, a guest's bank sends one of the refunds back.
SENT_BACK = 0.3


def bank_sends_back(rng: random.Random, server: Any) -> str:
    """Now and then, after the morning's refunds, a guest's bank sends one back (the card
    was closed since): Stripe marks it failed and says so in ``refund.failed``, which the
    server's pass over Stripe's events reads (docs/payments.md, "Refunds the bank sent
    back"). The request's row before and after is noted for the oracle: the model judges
    the refund made at its first version and sent back at its last."""
    from server.payments.outside import moved_outside

    if rng.random() >= SENT_BACK:
        return ""
    with server.sessions() as s:
        made = select_all(
            s,
            "SELECT id, booking_id, version, updated_at, provider_ref FROM deposit_requests "
            "WHERE kind = 'refund' AND status = 'done' ORDER BY requested_at, id",
        )
    if not made:
        return ""
    refund = rng.choice(made)
    fake: StripeFake = server.stripe
    fake.set_now(int(server.clock.now().timestamp()))
    fake.fail_refund(refund["provider_ref"], rng.choice(("expired_or_canceled_card", "declined")))
    app = server.client().app  # type: ignore[attr-defined]
    read = moved_outside(server.sessions, app.state.payments)
    assert not read.unread, read.unread
    with server.sessions() as s:
        [after] = select_all(
            s, "SELECT version, updated_at FROM deposit_requests WHERE id = :id", id=refund["id"]
        )
    server.by_stripe.append(
        {
            "kind": "refund sent back",
            "version": after["version"],
            "request_id": str(refund["id"]),
            "booking_id": str(refund["booking_id"]),
            "at": after["updated_at"],
            "made": {"version": refund["version"], "at": refund["updated_at"]},
        }
    )
    return f"the bank sent back {refund['provider_ref'][-6:]}: recorded {read.refunds_failed}"
