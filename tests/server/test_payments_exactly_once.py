"""Exactly once at Stripe, whatever dies when: replayed pushes, a server that dies after
Stripe answered and before it wrote the answer down, webhooks that arrive before the push's
answer (or twice, or out of order), a reconciliation running meanwhile. Every deposit ends
as Stripe has it, with one Checkout Session, one capture or charge, one refund — and
without the idempotency key the same faults make duplicates.

``BACKROOM_PAYMENT_REPLAYS`` sets how many fault-injected rounds run (CI: a few dozen; the
long run in docs/payments.md: 1,000).
"""

from __future__ import annotations

import contextlib
import os
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from app import protocol as p
from app.domain.permissions import Role
from server.payments.reconcile import reconcile
from tests.server.harness import EVENING, Desk, FakeClock, Seed, Server
from tests.server.payments_harness import collect, deposit_requests, paying_server, request_link

ROUNDS = int(os.environ.get("BACKROOM_PAYMENT_REPLAYS", "6"))
CALLS = ("create_checkout", "capture", "charge_saved_card", "refund", "release")
# What was injected, for the long run's report (printed with -s).
FAULTS: Counter[str] = Counter()


class Died(Exception):
    """The server process ended here: Stripe did the work, nobody wrote it down."""


@dataclass
class DiesAfterStripe:
    """The real gateway, except that a call may "die" once Stripe has answered. With
    ``keyless``, each call goes out under a fresh key, as if the server sent none."""

    real: Any
    rng: random.Random
    odds: float
    keyless: bool = False

    def __getattr__(self, name: str) -> Any:
        call = getattr(self.real, name)
        if name not in CALLS:
            return call

        def dying(*args: Any, **kwargs: Any) -> Any:
            if self.keyless:
                kwargs["idempotency_key"] = str(uuid.uuid4())
            answer = call(*args, **kwargs)
            if self.rng.random() < self.odds:
                FAULTS["died after Stripe answered"] += 1
                raise Died(name)
            return answer

        return dying


@pytest.fixture
def paying(
    seeded_url: str, seeded: tuple[str, Seed], clock: FakeClock, stripe_fake
) -> Iterator[Server]:
    # Each no-show moves the clock past its booking, ten days ahead for a saved card: a
    # long run (docs/payments.md) passes a year, and its desks' tokens must outlast it.
    with paying_server(
        seeded_url, clock, seeded[1], stripe_fake, device_token_days=100 * 365
    ) as running:
        yield running


def guarantee(server: Server, *, on: bool) -> None:
    """Whether the venue secures deposits on the card (hold / saved card) or takes them."""
    collect(
        server.app.state.sessions,
        "guarantee" if on else "deposit_now",
        server.app.state.clock.now(),
    )


def faulty(server: Server, rng: random.Random, odds: float = 0.5, keyless: bool = False):
    payments = server.app.state.payments
    real = (
        payments.gateway.real if isinstance(payments.gateway, DiesAfterStripe) else payments.gateway
    )
    server.app.state.payments = replace(payments, gateway=DiesAfterStripe(real, rng, odds, keyless))


def deliver(desk, body: dict[str, Any], attempts: int = 20) -> None:
    """Push until the server answers: a push that died is sent again, unchanged."""
    for _ in range(attempts):
        try:
            answer = desk.server.client.post(
                "/v1/sync/push",
                json={"device_id": str(desk.device_id), "mutations": [body]},
                headers=desk.headers,
            )
        except httpx.TransportError:
            continue  # the connection died with the server's work: no answer
        if answer.status_code == 200:
            [outcome] = answer.json()["outcomes"]
            assert outcome["outcome"] == "applied", outcome
            desk.versions[uuid.UUID(body["entity_id"])] = outcome["version"]
            return
        assert answer.status_code == 500, answer.text
    raise AssertionError("the push never got an answer")


def settle(server: Server, stripe_fake, rng: random.Random) -> None:
    """Webhooks (shuffled, some twice) and reconciliations until nothing is left to do;
    any of them may die after Stripe answered, as the push could."""
    for _ in range(30):
        events = [e["id"] for e in stripe_fake.pending()]
        order = events + rng.sample(events, k=len(events) // 2)
        FAULTS["webhooks delivered twice"] += len(events) // 2
        rng.shuffle(order)
        if order:
            stripe_fake.deliver(order)
        try:
            reconcile(server.app.state.sessions, server.app.state.payments)
        except Died:
            continue
        if not stripe_fake.pending() and not _waiting(server):
            return
    raise AssertionError("payments never settled")


def _waiting(server: Server) -> bool:
    from server.payments.actions import waiting_actions
    from server.payments.links import waiting

    sessions = server.app.state.sessions
    return bool(waiting(sessions) or waiting_actions(sessions))


def server_row(server: Server, query: str, booking_id: uuid.UUID) -> Any:
    """The server's database read directly: the test's witness (and a full pull per read
    would make a long run quadratic)."""
    with server.app.state.sessions() as session:
        return session.execute(text(query), {"b": booking_id}).one()


def version_of(server: Server, booking_id: uuid.UUID) -> int:
    return int(server_row(server, "SELECT version FROM bookings WHERE id = :b", booking_id)[0])


def evening(server: Server, days: int = 0) -> datetime:
    """19:00 on the first evening the server's clock has not reached, ``days`` later: a
    no-show moves the clock past its booking, and the next round books after it."""
    start = EVENING
    while start <= server.app.state.clock.now():
        start += timedelta(days=1)
    return start + timedelta(days=days)


def time_has_come(server: Server, stripe_fake, start: datetime) -> None:
    """A quarter of an hour after ``start``, on the server's clock and the fake's: a party
    is a no-show only once its time has come (app.domain.kernel.set_status)."""
    clock = server.app.state.clock
    clock.at = max(clock.at, start + timedelta(minutes=15))
    stripe_fake.set_now(int(clock.at.timestamp()))


def one_round(
    paying: Server, stripe_fake, rng: random.Random, kind: str, desk: Desk, manager: Desk
) -> dict[str, int]:
    """One booking through link → guest → claim or refund with faults; what Stripe made."""
    before = stripe_fake.counts()
    # A refund round takes the deposit now; the others secure it on the card.
    guarantee(paying, on=kind != "refund")
    days = {"hold": 0, "saved": 10, "refund": 0}[kind]
    start = evening(paying, days)
    create = desk.create(15, 16, party=8, start=start)
    deliver(desk, create)
    booking_id = uuid.UUID(create["entity_id"])
    deliver(desk, request_link(desk, booking_id))
    settle(paying, stripe_fake, rng)
    [url] = server_row(
        paying,
        "SELECT url FROM deposit_requests WHERE booking_id = :b AND kind = 'link'",
        booking_id,
    )
    stripe_fake.pay(url.rsplit("/", 1)[-1])
    settle(paying, stripe_fake, rng)
    version = version_of(paying, booking_id)
    if kind == "refund":
        # The guest cancelled (freeing the tables for the next round) and gets £30 back.
        cancel = manager.intent(
            p.IntentName.CANCEL, booking_id, {"reason": "Guest rang"}, base_version=version
        )
        deliver(manager, cancel)
        body = manager.intent(
            p.IntentName.REFUND_DEPOSIT,
            booking_id,
            {"amount_pence": 3000, "reason": "Goodwill"},
            base_version=manager.versions[booking_id],
        )
    else:
        time_has_come(paying, stripe_fake, start)
        no_show = manager.intent(
            p.IntentName.SET_STATUS, booking_id, {"status": "no_show"}, base_version=version
        )
        deliver(manager, no_show)
        body = manager.intent(
            p.IntentName.CLAIM_DEPOSIT,
            booking_id,
            {"amount_pence": 8000},
            base_version=manager.versions[booking_id],
        )
    deliver(manager, body)
    if rng.random() < 0.5:
        deliver(manager, body)  # the desk never heard the answer, and sends it again
        FAULTS["pushes replayed"] += 1
    settle(paying, stripe_fake, rng)
    after = stripe_fake.counts()
    made = {
        k: after.get(k, 0) - before.get(k, 0)
        for k in ("checkout.session", "payment_intent", "refund")
    }
    [state] = server_row(paying, "SELECT deposit_state FROM bookings WHERE id = :b", booking_id)
    [entries] = server_row(
        paying, "SELECT count(*) FROM deposit_ledger WHERE booking_id = :b", booking_id
    )
    made["state"], made["ledger"] = state, entries
    return made


EXPECTED = {
    # a hold: one session, its one PaymentIntent, captured once; ledger: hold + capture
    "hold": {
        "checkout.session": 1,
        "payment_intent": 1,
        "refund": 0,
        "state": "claimed",
        "ledger": 2,
    },
    # a saved card: one session, one off-session charge; ledger: the capture
    "saved": {
        "checkout.session": 1,
        "payment_intent": 1,
        "refund": 0,
        "state": "claimed",
        "ledger": 1,
    },
    # paid now, then one refund; ledger: payment + refund
    "refund": {
        "checkout.session": 1,
        "payment_intent": 1,
        "refund": 1,
        "state": "refunded",
        "ledger": 2,
    },
}


def test_faults_at_every_step_leave_one_object_per_ask_at_stripe_and_no_deposit_lost(
    paying, stripe_fake
):
    rng = random.Random(1914)
    faulty(paying, rng)
    seen = []
    # Registered once: a no-show moves the clock on past a staff sign-in's shift.
    desk, manager = paying.desk(), paying.desk("Office", Role.MANAGER)
    for n in range(ROUNDS):
        kind = ("hold", "saved", "refund")[n % 3]
        seen.append((kind, one_round(paying, stripe_fake, rng, kind, desk, manager)))

    wrong = [(n, kind, made) for n, (kind, made) in enumerate(seen) if made != EXPECTED[kind]]
    print(f"\n{ROUNDS} rounds, faults injected: {dict(FAULTS)}, rounds wrong: {len(wrong)}")
    assert wrong == [], f"{len(wrong)} of {ROUNDS} rounds differ from Stripe's one-per-ask"


def test_without_the_idempotency_key_the_same_faults_charge_a_saved_card_twice(paying, stripe_fake):
    rng = random.Random(7)
    guarantee(paying, on=True)
    before = stripe_fake.counts().get("payment_intent", 0)
    desk = paying.desk()
    start = evening(paying, days=10)
    create = desk.create(15, 16, party=8, start=start)
    deliver(desk, create)
    booking_id = uuid.UUID(create["entity_id"])
    deliver(desk, request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.deliver()
    manager = paying.desk("Office", Role.MANAGER)
    time_has_come(paying, stripe_fake, start)
    deliver(
        manager,
        manager.intent(
            p.IntentName.SET_STATUS,
            booking_id,
            {"status": "no_show"},
            base_version=version_of(paying, booking_id),
        ),
    )
    claim = manager.intent(
        p.IntentName.CLAIM_DEPOSIT,
        booking_id,
        {"amount_pence": 8000},
        base_version=manager.versions[booking_id],
    )
    faulty(paying, rng, odds=1.0, keyless=True)

    # Each attempt dies after Stripe charged: the desk sends the claim again, and the
    # reconciliation asks again, as they would for a server that went away.
    for _ in range(2):
        with contextlib.suppress(httpx.TransportError, AssertionError):
            deliver(manager, claim, attempts=1)
        with contextlib.suppress(Died):
            reconcile(paying.app.state.sessions, paying.app.state.payments)

    charges = stripe_fake.counts().get("payment_intent", 0) - before
    assert charges == 4, "each of the four asks without the key charged the guest again"
