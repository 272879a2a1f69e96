"""A guest's data in words they can read: the answer to their request, beside the JSON.

UK GDPR Art. 12 asks for an answer that is "concise, transparent, intelligible". The
JSON holds every column of every row (complete, and readable by a machine); this is
what a guest reads first: their details and marketing answers, their bookings with
their own words, the messages sent to them and theirs to the venue, and the money.
It is written from the answer's own tables, so the server's answer and a desk's (whose
tables have names of their own) read the same; times in the venue's zone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.consent import wording
from app.domain.deposits import format_pence
from app.domain.references import format_reference

Rows = Sequence[Mapping[str, Any]]
Tables = Mapping[str, Rows]

# The same rows under the server's names and a desk's.
_NAMES = {
    "guests": ("customers", "customer"),
    "consents": ("customer_consents",),
    "bookings": ("bookings", "booking"),
    "messages": ("message_outbox", "guest_messages"),
    "replies": ("message_inbound", "guest_replies"),
    "payments": ("deposit_ledger",),
}
SHOWN = {name for names in _NAMES.values() for name in names}
# What the other tables are, for a guest (the JSON has every one of them in full).
DESCRIBED = {
    "booking_table": "the tables your bookings were given",
    "booking_tables": "the tables your bookings were given",
    "holds": "tables held for you while a booking was made",
    "deposit_requests": "payment links, card holds and refunds",
    "payment_events": "notices about your payments from our card processor (Stripe)",
    "message_suppressions": "your request that we stop messaging you",
    "refusals": "changes to your bookings that our system refused",
    "venue_refusal": "changes to your bookings that our system refused",
    "conflicts": "clashes between your bookings and others",
    "sync_conflict": "clashes between your bookings and others",
    "audit_events": "entries in our audit log: every change made to your details or bookings",
    "audit_event": "entries in our audit log: every change made to your details or bookings",
    "outbox": "changes this desk has still to send to our server",
    "sync_outcome": "changes our server has answered",
    "sync_shadow": "our server's copy of your records, kept by this desk",
    "sync_notice": "notices shown to staff",
    "waitlist_offer": "tables offered to you from the waitlist",
    "waitlist_skip": "times the waitlist passed you over, and why",
}


def readable(
    tables: Tables, *, venue: str, made_at: datetime, made_by: str, found_by: str, zone: ZoneInfo
) -> str:
    """The answer in words, as a plain text page."""

    def at(value: Any) -> str:
        return _when(value, zone)

    lines = [
        f"What {venue} holds about you",
        f"Answered on {at(made_at)} by {made_by}; you were found by your {found_by}.",
        "",
    ]
    lines += _details(tables, at)
    lines += _bookings(tables, at)
    lines += _messages(tables, at)
    lines += _payments(tables, at)
    lines += _the_rest(tables)
    return "\n".join(lines).rstrip() + "\n"


def page_for(path: Path) -> Path:
    """Where the answer in words goes, beside its JSON: ``ada.json`` → ``ada.txt``."""
    return path.with_suffix(".page.txt" if path.suffix == ".txt" else ".txt")


def _rows(tables: Tables, kind: str) -> list[Mapping[str, Any]]:
    return [row for name in _NAMES[kind] for row in tables.get(name, ())]


def _details(tables: Tables, at: Any) -> list[str]:
    lines = ["Your details"]
    for guest in _rows(tables, "guests"):
        lines.append(f"  Name: {guest.get('name') or '(none)'}")
        lines.append(f"  Phone: {guest.get('phone') or '(none)'}")
        lines.append(f"  Email: {guest.get('email') or '(none)'}")
        if guest.get("vip"):
            lines.append("  Marked as a VIP guest")
        tags = _listed(guest.get("tags"))
        if tags:
            lines.append(f"  Tags staff gave you: {', '.join(str(t) for t in tags)}")
        if guest.get("notes"):
            lines.append(f"  Notes staff keep about you: {guest['notes']}")
        # The server keeps every answer as a row of its own; a desk, the latest per channel.
        history = [c for c in _rows(tables, "consents") if c.get("customer_id") == guest["id"]]
        consent = history or _listed(guest.get("consent"))
        lines += [f"  {_answer(c, at)}" for c in sorted(consent, key=lambda c: str(c["at"]))]
        lines.append("")
    return lines


def _answer(record: Mapping[str, Any], at: Any) -> str:
    words = wording(str(record["wording_id"]), int(record["wording_version"]))
    asked = f' ("{words.sentence}")' if words is not None else ""
    said = "yes" if record["given"] else "no"
    return f"Marketing by {record['channel']}: {said}, {at(record['at'])}{asked}"


def _section(
    title: str, rows: Rows, when: str, lines: Callable[[Mapping[str, Any]], list[str]]
) -> list[str]:
    """A titled list of rows, counted, in the order they happened (``when``)."""
    ordered = sorted(rows, key=lambda row: str(row[when]))
    return [f"{title} ({len(ordered)})", *(x for row in ordered for x in lines(row)), ""]


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


def _bookings(tables: Tables, at: Any) -> list[str]:
    def lines(b: Mapping[str, Any]) -> list[str]:
        out = [
            f"  {at(b['start'])}, a party of {b['party_size']}, {_words(b['status'])} "
            f"(reference {format_reference(str(b['reference']))})"
        ]
        out += [f"    {label}: {b[key]}" for label, key in _BOOKING_WORDS if b.get(key)]
        if b.get("deposit_pence"):
            deposit = format_pence(int(b["deposit_pence"]))
            out.append(f"    Deposit: {deposit} ({_words(b.get('deposit_state', ''))})")
        if b.get("package_id"):
            price = format_pence(int(b.get("package_pence") or 0))
            out.append(f"    Package: {_words(b['package_id'])} ({price})")
        if b.get("spend_pence") is not None:
            out.append(f"    Spent at the table: {format_pence(int(b['spend_pence']))}")
        return out

    return _section("Your bookings", _rows(tables, "bookings"), "start", lines)


_BOOKING_WORDS = (
    ("Special requests", "special_requests"),
    ("Occasion", "occasion"),
    ("Notes staff wrote", "notes"),
)


def _messages(tables: Tables, at: Any) -> list[str]:
    def sent(m: Mapping[str, Any]) -> list[str]:
        channel = "SMS" if m["channel"] == "sms" else str(m["channel"])
        to = m["recipient"] or "(erased)"
        head = f"  {at(m['created_at'])}, {channel} to {to}: {_words(m['template'])}"
        body = str(m.get("body") or "").splitlines()
        return [f"{head} ({_words(m['status'])})", *(f"    {line}" for line in body)]

    def received(r: Mapping[str, Any]) -> list[str]:
        sender = r.get("from_number") or r.get("sender") or "(erased)"
        return [f"  {at(r['received_at'])}, from {sender}: {r['body']}"]

    return [
        *_section("Messages we sent you", _rows(tables, "messages"), "created_at", sent),
        *_section("Your messages to us", _rows(tables, "replies"), "received_at", received),
    ]


def _payments(tables: Tables, at: Any) -> list[str]:
    def lines(e: Mapping[str, Any]) -> list[str]:
        method = f" by {e['method']}" if e.get("method") else ""
        amount = format_pence(int(e["amount_pence"]))
        return [f"  {at(e['recorded_at'])}: {_words(e['kind'])}, {amount}{method}"]

    title = "Money: deposits paid, refunded or claimed"
    return _section(title, _rows(tables, "payments"), "recorded_at", lines)


def _the_rest(tables: Tables) -> list[str]:
    rest = [(name, len(rows)) for name, rows in tables.items() if rows and name not in SHOWN]
    lines = [
        "Also held, in full in the JSON file that comes with this page (every column of",
        "every record, as our systems store it):",
    ]
    lines += [f"  {DESCRIBED.get(name, name.replace('_', ' '))}: {n}" for name, n in rest]
    if not rest:
        lines.append("  nothing else")
    return lines


def _listed(value: Any) -> list[Any]:
    """A list column as the answer gives it (a desk's file keeps some as JSON text)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value] if value else []
    return list(value) if isinstance(value, Iterable) and not isinstance(value, Mapping) else []


def _when(value: Any, zone: ZoneInfo) -> str:
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return f"{instant.astimezone(zone):%a %d %b %Y, %H:%M}"
