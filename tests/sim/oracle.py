"""Replaying a seed's judged intents through the independent model (tests/sim/model).

At the start of a seed the world is read from the server's database (venue,
staff, floor plan) into the model. Each desk notes the body of every intent it
saves (its outbox row, exactly what is pushed) and its link notes the server's
clock at each push it delivers. After healing, every outcome the server stored
is taken in version order (the order the server judged them); the model judges
the same intent at the same time, and:

- the outcome must be the model's (applied, merged, conflict, rejected);
- a rejection's reason must be one the model finds holding at that point;
- a conflict outcome must name the conflict the model makes;
- then the intent's writes are committed to the model at the outcome's version.

Changes the server made itself — on a guest's text (tests/sim/texts.py), on Stripe's
word that a link was paid (tests/sim/payments.py) — are judged by the model at the
version each took, between the intents around it.

The model then holds what the server's rows should be (tests/sim/columns.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import text

from tests.sim.model import Intent, Plan, StaffMember, Stamp, State, Venue, audit_head, judge
from tests.sim.model import reasons as known
from tests.sim.model.deposits import REQUEST, SETTLING, link_made, paid_online
from tests.sim.model.refunds import (
    OUTSIDE_BY,
    REFUND,
    refund_made,
    refund_sent_back,
    refunded_outside,
)
from tests.sim.model.replies import accept_offer, answered
from tests.sim.model.state import Verdict
from tests.sim.network import Delivery

BOOKING_INTENTS = (
    "create_booking",
    "move_booking",
    "edit_details",
    "set_status",
    "cancel",
    "undo_cancel",
    "record_spend",
    *SETTLING,
    REQUEST,
    REFUND,
)


def plain(value: Any) -> Any:
    """A database value as the model writes it: ids as text, arrays as tuples."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return tuple(plain(v) for v in value)
    return value


def select_all(session: Any, sql: str, **params: Any) -> list[dict[str, Any]]:
    rows = session.execute(text(sql), params).mappings()
    return [{k: plain(v) for k, v in row.items()} for row in rows]


def snapshot(sessions: Any) -> State:
    """The world a seed starts from, as the server's database has it."""
    with sessions() as s:
        [venue] = select_all(s, "SELECT * FROM venues")
        staff = {
            r["id"]: StaffMember(r["id"], r["name"], r["role"], r["active"], r["venue_id"])
            for r in select_all(s, "SELECT * FROM staff")
        }
        plan = Plan(
            tables={r["id"]: r for r in select_all(s, "SELECT * FROM tables")},
            combinations={r["id"]: r for r in select_all(s, "SELECT * FROM combinations")},
            areas={r["id"]: r for r in select_all(s, "SELECT * FROM areas")},
        )
    return State(Venue.from_row(venue), plan, staff)


def batches(deliveries: Iterable[Delivery]) -> dict[str, frozenset[str]]:
    """The intents judged in the same push as each intent: the first push whose answer
    gave its outcome (what the server does after a push's commit sees them all)."""
    found: dict[str, frozenset[str]] = {}
    for d in deliveries:
        for m in d.sent:
            if d.answered and m in d.answered and m not in found:
                found[m] = d.answered
    return found


def stamps(deliveries: Iterable[Delivery]) -> dict[str, Stamp]:
    """When each intent was judged: at the first delivery whose answer gave its outcome,
    or at an earlier one whose answer said nothing (a push that failed half-way)."""
    maybe: dict[str, list[datetime]] = {}
    found: dict[str, Stamp] = {}
    for d in deliveries:
        for m in d.sent:
            if m in found:
                continue
            if d.answered is None:
                maybe.setdefault(m, []).append(d.at)
            elif m in d.answered:
                found[m] = Stamp.of(d.at, m, frozenset([*maybe.pop(m, []), d.at]))
    for m, times in maybe.items():
        found[m] = Stamp.of(times[0], m, frozenset(times))
    return found


def _touches(m: Intent, state: State, conflict_key: tuple[str, str] | None) -> set[str]:
    if m.name == "rearrange":
        return {str(mv["booking_id"]) for mv in m.args.get("moves", ())}
    if m.name == "resolve_conflict":
        c = state.conflicts.get(conflict_key) if conflict_key else None
        return {c.booking_id} if c else set()
    return {m.entity_id} if m.name in BOOKING_INTENTS else set()


def _commit(state: State, v: Verdict, version: int) -> None:
    w = v.writes
    for b in w.bookings.values():
        state.bookings[b.id] = _versioned(b, version)
    for c in w.customers.values():
        state.customers[c.id] = _versioned(c, version)
    for key, conflict in w.conflicts.items():
        state.conflicts[key] = _versioned(conflict, version)
    for rows, target in (
        (w.tables, state.plan.tables),
        (w.areas, state.plan.areas),
        (w.combinations, state.plan.combinations),
    ):
        for row_id, row in rows.items():
            target[row_id] = {**row, "version": version}
    for entry_id, row in w.ledger.items():
        state.ledger[entry_id] = {**row, "version": version}
    for request_id, row in w.requests.items():
        state.requests[request_id] = {**row, "version": version}
    state.plan.refresh()
    if w.deposits is not None:
        state.venue = replace(state.venue, deposits=w.deposits)


class After:
    """A version later than ``version``, not known exactly."""

    def __init__(self, version: int) -> None:
        self.version = version

    def __eq__(self, other: object) -> bool:
        return isinstance(other, int) and other > self.version

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<after {self.version}>"


def _changed_by_server(state: State, change: dict[str, Any], diverged: set[str]) -> list[str]:
    """A change the server made itself, on a guest's text or on Stripe's word, or a refund
    it made at Stripe after a push."""
    if change["kind"].startswith("link"):
        return _changed_by_stripe(state, change, diverged)
    if change["kind"] == "refund sent back":
        return _refund_sent_back(state, change, diverged)
    if change["kind"] == "refund outside":
        return _refunded_outside(state, change, diverged)
    if change["kind"].startswith("refund"):
        return _refunded(state, change, diverged)
    return _changed_by_text(state, change, diverged)


def _changed_by_stripe(state: State, change: dict[str, Any], diverged: set[str]) -> list[str]:
    """Stripe said a guest paid a link: the model must find the same change then (the link
    paid; the booking paid with it, or the money only kept in the ledger), and makes it."""
    booking_id, version = change["booking_id"], change["version"]
    at = Stamp.of(change["at"], f"stripe {version}", frozenset([change["at"]]))
    verdict = paid_online(state, change, at)
    b = state.bookings.get(booking_id)
    what = b.reference if b else booking_id[:8]
    found = ", ".join(" ".join(map(str, r)) for r in verdict.reasons)
    if change["kind"] != "link paid" or verdict.outcome == "rejected":
        diverged.add(booking_id)
        return [
            f"on Stripe's word the server made {what}'s {change['kind']}; the model "
            f"finds nothing to change ({found})"
        ]
    if change["took"] != (verdict.outcome == "applied"):
        diverged.add(booking_id)
        did = "took" if change["took"] else "did not take"
        return [
            f"{what}'s booking {did} the money paid online; the model says "
            f"{verdict.outcome} ({found or 'it may'})"
        ]
    if booking_id not in diverged:
        _commit(state, verdict, version)
    return []


def refunds_made(
    requests: dict[Any, dict[str, Any]], by_stripe: Sequence[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """The refunds the server carried out (or failed) after their pushes, from its rows: a
    request done or failed is not changed again, so its version is the carry-out's — but
    for one the guest's bank sent back since, whose row before that the simulator noted."""
    made = _sent_back(by_stripe)
    return [
        {
            "kind": "refund done" if str(request_id) in made else f"refund {r['status']}",
            "request_id": str(request_id),
            "booking_id": r["booking_id"],
            **made.get(str(request_id), {"version": r["version"], "at": r["updated_at"]}),
        }
        for request_id, r in requests.items()
        if r["kind"] == "refund"
        and r["status"] in ("done", "failed")
        and r["requested_by"] != OUTSIDE_BY
    ]


def _sent_back(by_stripe: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each refund the guest's bank sent back: its row's version and time when made."""
    return {c["request_id"]: c["made"] for c in by_stripe if c["kind"] == "refund sent back"}


def refunds_outside(
    requests: dict[Any, dict[str, Any]],
    refunds: list[dict[str, Any]],
    by_stripe: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The refunds made in Stripe's Dashboard that the server recorded, from its rows, each
    with Stripe's own record of the refund it names (None: Stripe made no such refund)."""
    at_stripe = {r["id"]: r for r in refunds}
    made = _sent_back(by_stripe)
    return [
        {
            "kind": "refund outside",
            "request_id": str(request_id),
            "booking_id": r["booking_id"],
            "refund": at_stripe.get(r["provider_ref"]),
            **made.get(str(request_id), {"version": r["version"], "at": r["updated_at"]}),
        }
        for request_id, r in requests.items()
        if r["kind"] == "refund" and r["requested_by"] == OUTSIDE_BY
    ]


def _refunded(state: State, change: dict[str, Any], diverged: set[str]) -> list[str]:
    """The server carried out a judged refund: the model must find it done, or failed,
    as the server did, and makes the same rows."""
    booking_id, version = change["booking_id"], change["version"]
    at = Stamp.of(change["at"], f"refund {version}", frozenset([change["at"]]))
    verdict = refund_made(state, change["request_id"], at)
    model = {"applied": "refund done", "failed": "refund failed"}.get(verdict.outcome)
    if model == change["kind"]:
        if booking_id not in diverged:
            _commit(state, verdict, version)
        return []
    what, found = _diverges(state, booking_id, verdict, diverged)
    return [f"the server's {change['kind']} on {what}; the model says {model or found}"]


def _refund_sent_back(state: State, change: dict[str, Any], diverged: set[str]) -> list[str]:
    """A guest's bank sent a refund back: the model must find that refund made, and
    records it failed as the server did."""
    booking_id, version = change["booking_id"], change["version"]
    at = Stamp.of(change["at"], f"sent back {version}", frozenset([change["at"]]))
    verdict = refund_sent_back(state, change["request_id"], at)
    if verdict.outcome == "applied":
        if booking_id not in diverged:
            _commit(state, verdict, version)
        return []
    what, found = _diverges(state, booking_id, verdict, diverged)
    return [f"the server recorded a refund sent back on {what}; the model says {found}"]


def _refunded_outside(state: State, change: dict[str, Any], diverged: set[str]) -> list[str]:
    """The server recorded a refund made in Stripe's Dashboard: the model must record the
    same on the same booking, from Stripe's own record of the refund."""
    booking_id, version = change["booking_id"], change["version"]
    if change["refund"] is None:
        what, _ = _diverges(state, booking_id, Verdict("rejected"), diverged)
        return [f"the server recorded on {what} a Dashboard refund Stripe never made"]
    at = Stamp.of(change["at"], f"outside {version}", frozenset([change["at"]]))
    verdict = refunded_outside(state, change["request_id"], change["refund"], at)
    if verdict.outcome == "applied" and booking_id in verdict.writes.bookings:
        if booking_id not in diverged:
            _commit(state, verdict, version)
        return []
    what, found = _diverges(state, booking_id, verdict, diverged)
    says = found or "it is another booking's"
    return [f"the server recorded a Dashboard refund on {what}; the model says {says}"]


def _diverges(
    state: State, booking_id: str, verdict: Verdict, diverged: set[str]
) -> tuple[str, str]:
    """A change the model does not make: the booking diverged; its reference and the
    model's reasons, for the words."""
    b = state.bookings.get(booking_id)
    diverged.add(booking_id)
    return (b.reference if b else booking_id[:8]), ", ".join(
        " ".join(map(str, r)) for r in verdict.reasons
    )


def _changed_by_text(state: State, change: dict[str, Any], diverged: set[str]) -> list[str]:
    """The server changed a booking on a guest's text (seated them on their offer's
    tables, confirmed or cancelled their booking): the model must find it allowed then,
    and makes the same row."""
    booking_id, version, kind = change["booking_id"], change["version"], change["kind"]
    at = Stamp.of(change["at"], f"text {version}", frozenset([change["at"]]))
    if kind == "seat":
        verdict = accept_offer(state, booking_id, change["table_ids"], change["start"], at)
    else:
        verdict = answered(state, booking_id, kind == "cancel", at)
    if verdict.outcome == "applied":
        if booking_id not in diverged:
            _commit(state, verdict, version)
        return []
    what, found = _diverges(state, booking_id, verdict, diverged)
    said = {"seat": "seated", "cancel": "cancelled", "confirm": "confirmed"}[kind]
    return [f"the server {said} {what} on a guest's text, which the model refuses ({found})"]


def _versioned(row: Any, version: int) -> Any:
    return replace(row, version=version)


def _describe(m: Intent, state: State) -> str:
    b = state.bookings.get(m.entity_id)
    what = m.args.get("reference") or (b.reference if b else m.entity_id[:8])
    return f"{m.name} {what} (device {m.device_id[:8]} #{m.device_seq})"


def _disagreement(o: dict[str, Any], v: Verdict, m: Intent, state: State) -> str | None:
    said = o["outcome"]
    if said == "rejected":
        if v.outcome == "rejected" and known.holds(o["reason"], v.reasons):
            return None
        if not known.read(o["reason"]):
            why = "a reason the checker does not know"
        elif v.outcome == "rejected":
            found = ", ".join(" ".join(map(str, r)) for r in v.reasons)
            why = f"that reason does not hold in the model (it finds: {found})"
        elif known.holds(o["reason"], [("fence",)]) and m.args.get("fencing_token"):
            return None  # holds are not modelled: a fencing token may have run out
        else:
            why = f"that reason does not hold in the model, which says {v.outcome}"
        excuse = (
            "; a rejection must not excuse a missing booking without a reason that holds"
            if m.name == "create_booking"
            else ""
        )
        return f"{_describe(m, state)} was rejected ({o['reason']!r}): {why}{excuse}"
    if v.outcome != said:
        extra = f" ({', '.join(' '.join(map(str, r)) for r in v.reasons)})" if v.reasons else ""
        kind = f" {v.conflict.kind}" if v.conflict else ""
        return (
            f"{_describe(m, state)}: the server says {said} ({o['reason']!r}), "
            f"the model says {v.outcome}{kind}{extra}"
        )
    return None


def replay(
    state: State,
    outcomes: list[dict[str, Any]],
    intents: dict[str, Intent],
    times: dict[str, Stamp],
    conflict_keys: dict[str, tuple[str, str]],
    by_server: Sequence[dict[str, Any]] = (),
    pushes: dict[str, frozenset[str]] | None = None,
) -> tuple[list[str], set[str]]:
    """Every disagreement between the server's outcomes and the model's, and the
    bookings they concern (whose rows are not compared any further). ``by_server``: the
    changes the server made itself, on guests' texts (tests/sim/texts.py) and on
    Stripe's events (tests/sim/payments.py), each judged by the model at the version it
    took, between the intents around it. ``pushes``: the intents judged in one push with
    each (``batches``); a link asked is made once its push is over."""
    problems: list[str] = []
    diverged: set[str] = set()
    versions = [o["version"] for o in outcomes] + [s["version"] for s in by_server]
    if len(versions) != len(set(versions)):
        problems.append("two changes share a version: the order of judging is not known")
    version_of = {o["mutation_id"]: o["version"] for o in outcomes}
    # Links asked, made once the last intent of their push is judged: by that version.
    links: dict[str, int] = {}
    # Each is judged between the outcomes before and after it.
    pending = sorted(by_server, key=lambda s: s["version"])
    for o in sorted(outcomes, key=lambda o: o["version"]):
        _make_links(state, links, o["version"])
        while pending and pending[0]["version"] < o["version"]:
            _make_links(state, links, pending[0]["version"])
            problems += _changed_by_server(state, pending.pop(0), diverged)
        m = intents.get(o["mutation_id"])
        if m is None:
            problems.append(f"outcome v{o['version']} is for an intent no desk saved")
            continue
        if (o["name"], o["device_id"], o["device_seq"]) != (m.name, m.device_id, m.device_seq):
            problems.append(f"outcome v{o['version']} does not describe {_describe(m, state)}")
        at = times.get(m.mutation_id)
        if at is None:
            problems.append(f"{_describe(m, state)} was judged but never delivered")
            continue
        key = conflict_keys.get(str(m.args.get("conflict_id"))) if m.args else None
        verdict = judge(state, m, at, key)
        head = audit_head(state, m)
        if head is not None:
            state.audit[m.device_id] = head
        touched = _touches(m, state, key) | set(verdict.writes.bookings)
        problem = _disagreement(o, verdict, m, state)
        named = conflict_keys.get(str(o["conflict_id"]))
        if problem is None and verdict.conflict is not None and named != verdict.conflict.key:
            problem = f"{_describe(m, state)}: its conflict is not the one the model makes"
        if problem is not None:
            if not touched & diverged:
                problems.append(problem)
            diverged |= touched
            continue
        if o["outcome"] != "rejected":
            _commit(state, verdict, o["version"])
            if m.name == REQUEST:
                push = (pushes or {}).get(m.mutation_id, frozenset([m.mutation_id]))
                links[m.mutation_id] = max(version_of.get(p, 0) for p in push | {m.mutation_id})
        if m.name == "cancel" and o["outcome"] in ("applied", "merged"):
            state.cancels[m.mutation_id] = o["version"]
    for change in pending:
        _make_links(state, links, change["version"])
        problems += _changed_by_server(state, change, diverged)
    _make_links(state, links, None)
    return problems, diverged


def _make_links(state: State, links: dict[str, int], before: int | None) -> None:
    """Links whose push was over before version ``before`` (None: all) are made or failed,
    at a version after that push's last, which the model does not know exactly."""
    for request_id, last in list(links.items()):
        if before is None or last < before:
            del links[request_id]
            state.requests[request_id] = {**link_made(state, request_id), "version": After(last)}
