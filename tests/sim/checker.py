"""The properties every seed must keep, checked after the network has healed.

1. Every intent saved on any desk has exactly one outcome (on the server and
   on the desk), and no outbox still holds one.
2. No booking is lost or duplicated: every booking a desk created is on the
   server exactly once, unless the server refused it — then the desk still
   has it, kept in conflict with no table.
3. No two active bookings hold one table at overlapping times.
4. Every open conflict on the server is open on every desk, and no other.
5. Every desk's rows equal the server's, every column (tests/sim/columns.py).
6. The server does what the rules say: every outcome is the independent
   model's (tests/sim/model), every rejection has a reason that holds, every
   change the server made on a guest's text is one the model allows then
   (tests/sim/model/replies.py), every payment Stripe reported changed what the
   model says (tests/sim/model/deposits.py), every link asked is one Checkout
   Session at Stripe, and the server's rows equal the model's, every column
   (tests/sim/oracle.py).
7. Once the desks have tended their waitlists, a guest holds at most one open
   offer across all desks, a table is offered to one guest at a time, and an
   open offer is to a guest still waiting, of a table no booking holds and that
   seats their party (tests/sim/waitlist.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from tests.sim import columns, oracle
from tests.sim.desk import SimDesk
from tests.sim.model import Intent, State
from tests.sim.model.deposits import SETTLING
from tests.sim.network import Delivery
from tests.sim.waitlist import offer_problems, open_offers
from tests.stripe_fake.client import StripeFake

HOLDING = ("pending", "confirmed", "seated")
FLOOR_INTENTS = ("update_table", "update_area", "update_combination")


def _overlaps(server: dict[str, dict[Any, dict[str, Any]]]) -> list[str]:
    """Two rows of booking_tables, or two holding bookings, on one table at once."""
    spans = [
        (r["table_id"], r["during"].lower, r["during"].upper, r["booking_id"])
        for r in server["booking_tables"].values()
    ]
    spans += [
        (t, b["start"], b["start"] + _minutes(b), b["id"])
        for b in server["bookings"].values()
        if b["status"] in HOLDING
        for t in b["table_ids"]
    ]
    spans.sort()
    found = set()
    for i, (table, _start, end, booking) in enumerate(spans):
        for table2, start2, _end2, booking2 in spans[i + 1 :]:
            if table2 != table or start2 >= end:
                break
            if booking2 != booking:
                found.add(f"server: {booking[:8]} and {booking2[:8]} overlap on table {table[:8]}")
    return sorted(found)


def _minutes(b: dict[str, Any]) -> timedelta:
    return timedelta(minutes=b["duration_minutes"])


@dataclass
class DeskEvidence:
    """What the checker reads of one desk once the network has healed."""

    name: str
    device_id: str
    saved: list[tuple[int, str]]
    created: list[str]
    bodies: dict[str, dict[str, Any]]
    deliveries: list[Delivery]
    left: int
    local_outcomes: list[tuple[int, str]]
    aliases: dict[str, str]
    local_open: set[str]
    rows: dict[str, dict[Any, dict[str, Any]]]
    # Its open waitlist offers at the end (tests/sim/waitlist.py open_offers).
    offers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Evidence:
    """Everything the properties are judged on: plain data, so a seed's evidence can be
    kept and checked again (``BACKROOM_SIM_KEEP``, tests/sim/recheck.py)."""

    server: dict[str, dict[Any, dict[str, Any]]]
    outcomes: list[dict[str, Any]]
    desks: list[DeskEvidence]
    # The changes the server made on guests' texts (tests/sim/texts.py) and on Stripe's
    # events (tests/sim/payments.py), and the Checkout Sessions Stripe has.
    by_text: list[dict[str, Any]] = field(default_factory=list)
    by_stripe: list[dict[str, Any]] = field(default_factory=list)
    stripe: list[dict[str, Any]] = field(default_factory=list)
    # The refunds Stripe made.
    refunds: list[dict[str, Any]] = field(default_factory=list)


def gather(
    sessions: Any,
    desks: list[SimDesk],
    by_text: list[dict[str, Any]] | None = None,
    by_stripe: list[dict[str, Any]] | None = None,
    stripe: StripeFake | None = None,
) -> Evidence:
    server = columns.server_rows(sessions)
    with sessions() as s:
        outcomes = oracle.select_all(s, "SELECT * FROM intent_outcomes")
    desk_evidence = [_desk_evidence(d) for d in desks]
    made = [] if stripe is None else checkout_sessions(stripe)
    refunds = [] if stripe is None else stripe_refunds(stripe)
    return Evidence(
        server, outcomes, desk_evidence, list(by_text or []), list(by_stripe or []), made, refunds
    )


def checkout_sessions(stripe: StripeFake) -> list[dict[str, Any]]:
    """Every Checkout Session at Stripe, as plain data (a seed makes a handful)."""
    listed = stripe.client().v1.checkout.sessions.list(params={"limit": 100})
    return [
        {
            "id": s.id,
            "url": s.url,
            "amount_total": s.amount_total,
            "expires_at": s.expires_at,
            "status": s.status,
            "metadata": s.metadata.to_dict() if s.metadata else {},
        }
        for s in listed.auto_paging_iter()
    ]


def stripe_refunds(stripe: StripeFake) -> list[dict[str, Any]]:
    """Every refund Stripe made, as plain data."""
    listed = stripe.client().v1.refunds.list(params={"limit": 100})
    return [
        {
            "id": r.id,
            "amount": r.amount,
            "payment_intent": r.payment_intent,
            "metadata": r.metadata.to_dict() if r.metadata else {},
            "created": r.created,
            "status": r.status,
        }
        for r in listed.auto_paging_iter()
    ]


def _desk_evidence(desk: SimDesk) -> DeskEvidence:
    assert desk.store is not None
    with desk.store.read() as reader:
        s = reader.session
        left = len(s.execute(text("SELECT device_seq FROM outbox")).all())
        local = s.execute(text("SELECT device_seq, mutation_id FROM sync_outcome")).all()
        aliases = dict(s.execute(text("SELECT old_id, new_id FROM sync_staff_alias")).all())
        conflicts = oracle.select_all(s, "SELECT id, state FROM sync_conflict")
        rows = columns.desk_tables(s)
        offers = open_offers(s, desk.clock())
    return DeskEvidence(
        name=desk.name,
        device_id=desk.device_id,
        saved=list(desk.saved),
        created=list(desk.created),
        bodies=dict(desk.bodies),
        deliveries=list(desk.link.deliveries),
        left=left,
        local_outcomes=[(int(seq), str(m)) for seq, m in local],
        aliases={str(k): str(v) for k, v in aliases.items()},
        local_open={c["id"] for c in conflicts if c["state"] == "open"},
        rows=rows,
        offers=offers,
    )


def check(sessions: Any, desks: list[SimDesk], world: State | None = None) -> list[str]:
    """Every broken property, in words; empty when the seed passed. ``world``: the
    model's state at the seed's start (without it, properties 5 and 6 are not checked)."""
    return verify(gather(sessions, desks), world)


def verify(evidence: Evidence, world: State | None) -> list[str]:
    problems: list[str] = []
    server, outcomes = evidence.server, evidence.outcomes
    references = [b["reference"] for b in server["bookings"].values()]
    if len(references) != len(set(references)):
        problems.append("a booking reference appears twice on the server")
    problems += _overlaps(server)
    offers = {d.name: d.offers for d in evidence.desks}
    problems += offer_problems(offers, server["bookings"], server)
    intents: dict[str, Intent] = {}
    for desk in evidence.desks:
        intents |= {m: Intent.from_body(b, desk.aliases) for m, b in desk.bodies.items()}
    for desk in evidence.desks:
        problems += _check_desk(desk, outcomes, server, world, intents)
    if world is not None:
        deliveries = [d for desk in evidence.desks for d in desk.deliveries]
        times = oracle.stamps(deliveries)
        keys = {k: (r["mutation_id"], r["booking_id"]) for k, r in server["conflicts"].items()}
        by_server = [
            *evidence.by_text,
            *evidence.by_stripe,
            *oracle.refunds_made(server["deposit_requests"], evidence.by_stripe),
            *oracle.refunds_outside(
                server["deposit_requests"], evidence.refunds, evidence.by_stripe
            ),
        ]
        found, skip = oracle.replay(
            world, outcomes, intents, times, keys, by_server, oracle.batches(deliveries)
        )
        problems += [f"model: {p}" for p in found]
        problems += columns.model_problems(world, server, skip, evidence.stripe, evidence.refunds)
    return problems


def _refused(
    desk: DeskEvidence, outcomes: list[dict[str, Any]], intents: dict[str, Intent]
) -> set[str]:
    """Rows this desk made that the server refused to create: kept on the desk only."""
    out: set[str] = set()
    for o in outcomes:
        m = intents.get(o["mutation_id"])
        if o["outcome"] != "rejected" or m is None or m.device_id != desk.device_id:
            continue
        if m.name == "create_booking":
            out |= {m.entity_id, str(m.args["customer"]["id"])}
        elif m.name in FLOOR_INTENTS:
            out.add(m.entity_id)
        elif m.name in SETTLING:
            out.add(str(m.args["entry_id"]))  # shown as refused on the desk, never counted
    return out


def _check_desk(
    desk: DeskEvidence,
    outcomes: list[dict[str, Any]],
    server: dict[str, dict[Any, dict[str, Any]]],
    world: State | None,
    intents: dict[str, Intent],
) -> list[str]:
    problems: list[str] = []
    name = desk.name
    if desk.left:
        problems.append(f"{name}: {desk.left} intents still in the outbox after healing")
    server_side = sorted(
        (o["device_seq"], o["mutation_id"]) for o in outcomes if o["device_id"] == desk.device_id
    )
    if server_side != sorted(desk.saved):
        problems.append(
            f"{name}: saved intents {_short(desk.saved)} but the server has outcomes for "
            f"{_short(server_side)}"
        )
    if sorted(desk.local_outcomes) != sorted(desk.saved):
        problems.append(f"{name}: the desk's recorded outcomes differ from its saved intents")
    refused = _refused(desk, outcomes, intents)
    for booking_id in desk.created:
        if booking_id not in server["bookings"] and booking_id not in refused:
            problems.append(f"{name}: booking {booking_id[:8]} was lost")
        if booking_id in refused and booking_id not in desk.rows["booking"]:
            problems.append(f"{name}: refused booking {booking_id[:8]} vanished from the desk")
    if world is not None:
        problems += columns.desk_problems(name, desk.rows, server, world, refused)
    open_conflicts = {k for k, r in server["conflicts"].items() if r["state"] == "open"}
    if desk.local_open != open_conflicts:
        problems.append(
            f"{name}: open conflicts {_short(sorted(desk.local_open))} but the server has "
            f"{_short(sorted(open_conflicts))}"
        )
    return problems


def _short(items: Iterable[Any]) -> str:
    items = list(items)
    text_ = ", ".join(str(i)[:12] for i in items[:6])
    return f"[{text_}{', …' if len(items) > 6 else ''}] ({len(items)})"
