"""Row-by-row, column-by-column comparisons: the server with the model, each desk with the server.

Every column the databases have is compared (read with ``SELECT *``, not with the
field lists the sync code exports), unless it is listed in ``EXCLUDED`` with the
reason it cannot be modelled. A column that is neither compared nor excluded
is itself reported, so a column added to a schema cannot slip past.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from tests.sim.model import Stamp, State
from tests.sim.model.refunds import OUTSIDE_BY
from tests.sim.oracle import select_all

SERVER_TABLES = (
    "bookings",
    "customers",
    "tables",
    "areas",
    "combinations",
    "deposit_ledger",
    "deposit_requests",
)
EXCLUDED: dict[tuple[str, str], str] = {
    ("deposit_requests", "short_token"): "a random token the server makes for the link's "
    "short address in the guest's text (server/payments/short.py)",
    ("customers", "created_at"): "set by PostgreSQL's now() on insert: the database's own "
    "clock, which the simulation does not drive",
    ("conflicts", "id"): "a random id the server makes; the model knows a conflict by the "
    "intent that made it and its booking (the outcome's conflict id is checked to map to it)",
    ("conflicts", "detail"): "words and summaries for staff; compared only in the parts "
    "resolving depends on (see _detail_problems)",
}
# Server columns no desk has: a desk's copy of a conflict is the wire's ConflictRecord.
NOT_ON_DESKS: dict[tuple[str, str], str] = {
    ("customers", "created_at"): EXCLUDED[("customers", "created_at")],
    **{
        ("conflicts", c): "not sent to desks (the wire's ConflictRecord has no such field)"
        for c in ("venue_id", "staff_id", "mutation_id", "resolved_by")
    },
    **{
        ("deposit_ledger", c): "a desk's ledger is its venue's, and an entry is never changed"
        for c in ("venue_id", "updated_at")
    },
    **{
        ("deposit_requests", c): why
        for why, names in (
            ("a desk's links are its venue's", ("venue_id",)),
            ("a desk is sent the deadline (expires_at), not the lifetime", ("link_minutes",)),
            ("a desk is sent who asked by name (requested_by)", ("staff_id",)),
            ("Stripe's ids stay on the server; a desk shows the link", ("session_id",)),
            ("Stripe's ids stay on the server", ("provider_ref",)),
            (
                "a saved card's Stripe ids never leave the server (docs/payments.md)",
                ("customer_ref", "payment_method_ref"),
            ),
            ("the short address is in the guest's text only", ("short_token",)),
            ("a desk orders links by version; when asked is requested_at", ("updated_at",)),
        )
        for c in names
    },
}
# The desk's names for the server's tables.
DESK_TABLES = {
    "booking": "bookings",
    "customer": "customers",
    "dining_table": "tables",
    "area": "areas",
    "combination": "combinations",
    # A desk keeps the conflicts it was sent (every open one: property 4), not all of them.
    "sync_conflict": "conflicts",
    # Its own unanswered entry is replaced by the server's, or gone once refused.
    "deposit_ledger": "deposit_ledger",
    "deposit_requests": "deposit_requests",
}


def server_rows(sessions: Any) -> dict[str, dict[Any, dict[str, Any]]]:
    with sessions() as s:
        rows = {
            name: {r["id"]: r for r in select_all(s, f"SELECT * FROM {name}")}
            for name in SERVER_TABLES
        }
        rows["conflicts"] = {r["id"]: r for r in select_all(s, "SELECT * FROM conflicts")}
        rows["booking_tables"] = {
            (r["booking_id"], r["table_id"]): r
            for r in select_all(s, "SELECT * FROM booking_tables")
        }
    return rows


def row_of(obj: Any) -> dict[str, Any]:
    """A model row's fields (not ``asdict``, which would copy a Stamp into a plain time)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _same(mine: Any, theirs: Any) -> bool:
    if isinstance(mine, Stamp):
        return theirs in mine.candidates
    return bool(mine == theirs)


def _rows(
    what: str,
    mine: dict[Any, dict[str, Any]],
    theirs: dict[Any, dict[str, Any]],
    excluded: dict[tuple[str, str], str] = EXCLUDED,
) -> list[str]:
    """``mine`` should equal ``theirs`` (the server's rows) in every column not excluded."""
    problems: list[str] = []
    table = what.split()[-1]
    if set(mine) != set(theirs):
        missing, extra = set(theirs) - set(mine), set(mine) - set(theirs)
        problems.append(f"{what}: missing {_short(missing)}, extra {_short(extra)}")
    unchecked: set[str] = set()
    for key in sorted(set(mine) & set(theirs), key=str):
        differ = []
        for column, value in theirs[key].items():
            if (table, column) in excluded:
                continue
            if column not in mine[key]:
                unchecked.add(column)
            elif not _same(mine[key][column], value):
                differ.append(f"{column}: {mine[key][column]!r} vs {value!r}")
        if differ:
            problems.append(f"{what} {_name(key)} differ ({'; '.join(differ)})")
    problems += [f"{table}.{c} is neither compared nor excluded" for c in sorted(unchecked)]
    return problems


def model_problems(
    state: State,
    server: dict[str, dict[Any, dict[str, Any]]],
    skip: set[str],
    stripe: list[dict[str, Any]] = (),  # type: ignore[assignment]
    refunds: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> list[str]:
    """The server's rows against the model's (bookings in ``skip`` diverged already);
    ``stripe``: the Checkout Sessions Stripe has (tests/sim/payments.py)."""
    bookings = {k: row_of(b) for k, b in state.bookings.items() if k not in skip}
    held = {
        (b.id, t): {
            "booking_id": b.id,
            "table_id": t,
            "venue_id": state.venue.id,
            "during": (b.start, b.end),
        }
        for b in state.bookings.values()
        if b.holds and b.id not in skip
        for t in b.table_ids
    }
    their_held = {
        k: {**r, "during": (r["during"].lower, r["during"].upper)}
        for k, r in server["booking_tables"].items()
        if k[0] not in skip and r["during"].bounds == "[)"
    }
    problems = _rows("model vs server bookings", bookings, _without(server["bookings"], skip))
    problems += _rows("model vs server booking_tables", held, their_held)
    customers = {k: row_of(c) for k, c in state.customers.items()}
    problems += _rows("model vs server customers", customers, server["customers"])
    plan = state.plan
    for name, rows in (
        ("tables", plan.tables),
        ("areas", plan.areas),
        ("combinations", plan.combinations),
    ):
        problems += _rows(f"model vs server {name}", rows, server[name])
    ledger = {k: r for k, r in state.ledger.items() if r["booking_id"] not in skip}
    problems += _rows(
        "model vs server deposit_ledger",
        ledger,
        {k: r for k, r in server["deposit_ledger"].items() if r["booking_id"] not in skip},
    )
    problems += _request_problems(state, server["deposit_requests"], skip, stripe, refunds)
    return problems + _conflict_problems(state, server["conflicts"], skip)


def _request_problems(
    state: State,
    server: dict[Any, dict[str, Any]],
    skip: set[str],
    stripe: list[dict[str, Any]],
    refunds: list[dict[str, Any]],
) -> list[str]:
    """Every link the model asked for is one Checkout Session at Stripe, for its amount and
    deadline, and the server's row is the model's with Stripe's session and address; every
    refund it made is one refund at Stripe, of the booking's payment."""
    problems: list[str] = []
    sessions: dict[str, list[dict[str, Any]]] = {}
    for s in stripe:
        sessions.setdefault(str((s.get("metadata") or {}).get("request_id")), []).append(s)
    given: dict[str, list[dict[str, Any]]] = {}
    for refund in refunds:
        # One made in Stripe's Dashboard names no request: known by its own id.
        named = refund["metadata"].get("request_id") or f"outside {refund['id']}"
        given.setdefault(str(named), []).append(refund)
    mine, told = {}, set()
    for request_id, r in state.requests.items():
        if r["kind"] == "refund":
            outside = r["requested_by"] == OUTSIDE_BY
            key = f"outside {r['provider_ref']}" if outside else request_id
            row, wrong = _refund_row(state, r, given.pop(key, []))
            problems += wrong
            if wrong:
                told.add(request_id)
            elif r["booking_id"] not in skip:
                mine[request_id] = row
            continue
        made = sessions.pop(request_id, [])
        wanted = 0 if r["status"] == "failed" else 1
        if len(made) != wanted:
            problems.append(
                f"link {request_id[:8]} is {len(made)} Checkout Sessions at Stripe, "
                f"where the model has {wanted} ({r['status']})"
            )
            told.add(request_id)
            continue
        stripe_made = {"session_id": None, "url": None}
        for session in made:
            if session["amount_total"] != r["amount_pence"]:
                problems.append(f"link {request_id[:8]} asks Stripe for {session['amount_total']}")
            deadlines = {int(t.timestamp()) for t in r["expires_at"].candidates}
            if session["expires_at"] not in deadlines:
                problems.append(f"link {request_id[:8]} expires at Stripe at another time")
            # Every event was delivered by the end: a payment Stripe took is on the server.
            paid = r["status"] == "paid" or r["booking_id"] in skip
            if session["status"] == "complete" and not paid:
                problems.append(f"link {request_id[:8]} was paid at Stripe, never on the server")
            stripe_made = {"session_id": session["id"], "url": session["url"]}
        if r["booking_id"] not in skip:
            mine[request_id] = {**r, **stripe_made}
    problems += [f"a Checkout Session at Stripe for no link asked ({k[:8]})" for k in sessions]
    problems += [f"a refund at Stripe for no refund the model made ({k[:18]})" for k in given]
    theirs = {k: r for k, r in server.items() if r["booking_id"] not in skip and k not in told}
    return problems + _rows("model vs server deposit_requests", mine, theirs)


def _refund_row(
    state: State, r: dict[str, Any], made: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """A refund the model made done is one refund at Stripe, for its amount, of a payment
    Stripe took for the booking; the server's row names it."""
    request_id = str(r["id"])[:8]
    # A refund the guest's bank sent back stays at Stripe, failed.
    sent_back = bool(r.get("sent_back"))
    wanted = 1 if r["status"] == "done" or sent_back else 0
    if len(made) != wanted:
        return r, [
            f"refund {request_id} is {len(made)} refunds at Stripe, where the model has "
            f"{wanted} ({r['status']})"
        ]
    if not made:
        return r, []
    [refund] = made
    paid = {
        e["provider_ref"]
        for e in state.ledger.values()
        if e["booking_id"] == r["booking_id"] and e["kind"] == "stripe_payment"
    }
    wrong = []
    if refund["amount"] != r["amount_pence"]:
        wrong.append(f"refund {request_id} gives back {refund['amount']} at Stripe")
    if (refund["status"] == "failed") != sent_back:
        wrong.append(f"refund {request_id} is {refund['status']} at Stripe")
    if refund["payment_intent"] not in paid:
        wrong.append(f"refund {request_id} gives back a payment not its booking's")
    return {**r, "provider_ref": refund["id"]}, wrong


def _conflict_problems(
    state: State, server: dict[Any, dict[str, Any]], skip: set[str]
) -> list[str]:
    by_key = {(r["mutation_id"], r["booking_id"]): r for r in server.values()}
    mine, theirs = {}, {}
    for key, c in state.conflicts.items():
        if c.booking_id in skip:
            continue
        row = row_of(c)
        row["allowed"] = c.allowed
        for extra in ("wanted_status", "intent", "resolver_name", "note"):
            row.pop(extra)
        mine[key] = {**row, "venue_id": state.venue.id}
    theirs = {k: r for k, r in by_key.items() if k[1] not in skip}
    return _rows("model vs server conflicts", mine, theirs) + [
        p
        for key, c in state.conflicts.items()
        if key in theirs
        for p in _detail_problems(c, theirs[key])
    ]


def _detail_problems(c: Any, row: dict[str, Any]) -> list[str]:
    detail, problems = row["detail"] or {}, []
    if c.kind == "stale_edit" and c.intent is not None:
        kept = detail.get("intent") or {}
        if kept.get("name") != c.intent[0] or not _json_same(kept.get("args"), c.intent[1]):
            problems.append(f"conflict {row['id'][:8]} keeps {kept!r}, not the refused intent")
    said = (detail.get("mine") or {}).get("status")
    if c.kind in ("overlap", "invalid") and c.wanted_status not in (None, said):
        problems.append(f"conflict {row['id'][:8]}: mine.status is not {c.wanted_status}")
    if c.state == "resolved" and (detail.get("resolved_by"), detail.get("note")) != (
        c.resolver_name,
        c.note,
    ):
        problems.append(f"conflict {row['id'][:8]} does not say who resolved it and why")
    return problems


def _json_same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(_json_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return datetime.fromisoformat(a) == datetime.fromisoformat(b)
        except ValueError:
            return a.lower() == b.lower()  # ids
    return bool(a == b)


def _without(rows: dict[Any, dict[str, Any]], skip: set[str]) -> dict[Any, dict[str, Any]]:
    return {k: r for k, r in rows.items() if k not in skip}


def _short(items: Iterable[Any]) -> str:
    names = sorted(_name(i) for i in items)
    text = ", ".join(names[:6])
    return f"[{text}{', …' if len(names) > 6 else ''}] ({len(names)})"


def _name(key: Any) -> str:
    return "/".join(str(k)[:8] for k in key) if isinstance(key, tuple) else str(key)[:8]


# --- a desk's file against the server --------------------------------------------------


def _desk_value(raw: Any, like: Any) -> Any:
    """A raw SQLite value read as the server's column holds it (by the server value's type)."""
    if raw is None or like is None:
        return raw
    if isinstance(like, bool):
        return bool(raw)
    if isinstance(like, datetime):
        return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if isinstance(like, tuple):
        return tuple(json.loads(raw)) if isinstance(raw, str) else tuple(raw)
    if isinstance(like, dict):
        return json.loads(raw) if isinstance(raw, str) else raw
    if isinstance(like, float):
        return float(raw)
    return raw


def desk_tables(session: Any) -> dict[str, dict[Any, dict[str, Any]]]:
    rows = {
        name: {r["id"]: r for r in select_all(session, f"SELECT * FROM {name}")}
        for name in DESK_TABLES
    }
    rows["booking_table"] = {
        (r["booking_id"], r["table_id"]): r
        for r in select_all(session, "SELECT * FROM booking_table")
    }
    return rows


def desk_problems(
    name: str,
    desk: dict[str, dict[Any, dict[str, Any]]],
    server: dict[str, dict[Any, dict[str, Any]]],
    state: State,
    refused: set[str],
) -> list[str]:
    """A desk's rows against the server's, every column. ``refused``: rows the server
    refused to create (a new booking, its new guest, a new floor row), kept on the desk."""
    problems: list[str] = []
    tables_of: dict[str, list[tuple[int, str]]] = {}
    for (booking_id, table_id), r in desk["booking_table"].items():
        tables_of.setdefault(booking_id, []).append((r["position"], table_id))
    for desk_table, server_table in DESK_TABLES.items():
        theirs = server[server_table]
        mine: dict[Any, dict[str, Any]] = {}
        for key, raw in desk[desk_table].items():
            if key not in theirs:
                if key not in refused:
                    mine[key] = raw  # reported as extra
                elif desk_table == "booking" and (raw["status"] != "conflict" or key in tables_of):
                    problems.append(f"{name}: refused booking {key[:8]} is not kept in conflict")
                elif desk_table == "deposit_ledger" and not (
                    raw["version"] == 0 and raw["mutation_id"]
                ):
                    problems.append(f"{name}: refused ledger entry {key[:8]} is not shown refused")
                continue
            like = theirs[key]
            row = {c: _desk_value(v, like.get(c)) for c, v in raw.items()}
            if desk_table == "deposit_ledger" and row.pop("mutation_id") is not None:
                problems.append(
                    f"{name}: ledger entry {key[:8]} was never replaced by the server's"
                )
            if desk_table == "booking":
                held = sorted(tables_of.get(key, []))
                if [p for p, _ in held] != list(range(len(held))):
                    problems.append(f"{name}: booking {key[:8]} has table positions {held}")
                row["table_ids"] = tuple(t for _, t in held)
                day = date.fromisoformat(row.pop("service_day"))
                if day != state.venue.service_day(like["start"]):
                    problems.append(f"{name}: booking {key[:8]} is on service day {day}")
            unknown = set(row) - set(like)
            problems += [f"{desk_table}.{c} has no server column" for c in sorted(unknown)]
            mine[key] = row
        if desk_table == "sync_conflict":
            theirs = {k: r for k, r in theirs.items() if k in mine}
        problems += _rows(f"{name} vs server {server_table}", mine, theirs, NOT_ON_DESKS)
    return problems
