"""The waitlist in the simulator: guests join it, cancels free tables that are offered,
staff answer the offers, and each desk's timer passes on the ones nobody answered.

Offers are desk-local (docs/waitlist.md). While a desk runs, its waitlist panel's timer
settles its offers and the window holds their tables on the server (``tend``: what
``MainWindow._hold_offers`` and the sync runner's renewals do), so the other desks see
them. The properties are checked once the desks have healed and tended their offers
(``offer_problems``), on plain rows: a guest is offered one table at a time, a table is
offered to one guest at a time, and an open offer is of a table that is free for a guest
who is still waiting.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from app.services.booking_create import NewBooking
from tests.sim.desk import SimDesk
from tests.sim.world import TIMES

NAMES = ("Ben", "Cat", "Dee", "Eve", "Gus", "Ida")


def wait(rng: random.Random, desk: SimDesk, staff: Any, times: tuple[datetime, ...]) -> str:
    """Reception puts a party on the waitlist for one of the night's times still to come."""
    assert desk.desk is not None
    later = [t for t in times if t > desk.clock()]
    if not later:
        return "waitlist: the night's times have passed on this desk"
    result = desk.desk.create.add_to_waitlist(
        staff,
        NewBooking(
            name=f"{rng.choice(NAMES)} {rng.randint(1, 99)}",
            phone=f"0113 496 {rng.randint(0, 9999):04d}",
            party_size=rng.randint(2, 4),
            start=rng.choice(later),
            duration_minutes=rng.choice((45, 60, 60, 120)),
            occasion=rng.choice(("", "", "birthday")),
        ),
    )
    desk.created.append(result.booking.id)
    return f"waitlist {result.booking.reference}"


def free(rng: random.Random, desk: SimDesk, staff: Any, booked: list[dict[str, Any]]) -> str:
    """A table comes free while guests wait: a seated party leaves early, a party that
    has not come by its time is marked a no-show, or a booking is cancelled."""
    assert desk.desk is not None
    holding = [b for b in booked if b["table_ids"]]
    if not holding:
        return "free: no booking holds a table"
    b = rng.choice(holding)
    lifecycle, ref = desk.desk.lifecycle, b["reference"]
    if b["status"] == "seated":
        lifecycle.complete(staff, b["id"])
        return f"{ref} left early"
    if b["start"] <= desk.clock():
        lifecycle.no_show(staff, b["id"])
        return f"{ref} a no-show"
    lifecycle.cancel(staff, b["id"], "plans changed")
    return f"{ref} cancelled, a table free"


def answer(rng: random.Random, desk: SimDesk, staff: Any) -> str:
    """The guest of one of this desk's open offers says yes (seated on the offered table
    at the offered time, as the panel's Seat button does) or no."""
    assert desk.desk is not None
    views = desk.desk.offers.offers(night(desk))
    if not views:
        return "answer: no offer open"
    view = rng.choice(views)
    ref = view.booking.reference
    if rng.random() < 0.6:
        desk.desk.lifecycle.promote(staff, view.booking.id, view.seating.table_ids, view.begins)
        return f"offer to {ref} accepted at {view.tables}"
    desk.desk.offers.decline(view.booking.id)
    return f"offer to {ref} declined"


def tend(desk: SimDesk) -> str:
    """The panel's timer and the window's holds: expire and pass on offers, then hold the
    tables of those open (renewing the holds already taken), if the desk is connected."""
    assert desk.desk is not None and desk.offer_holds is not None
    events = desk.desk.offers.settle(night(desk))
    if not desk.link.partitioned:
        desk.offer_holds.keeper.renew_due()
        desk.offer_holds.reconcile(desk.desk.offers.holds_wanted(night(desk)))
    return f"{len(events)} offer events" if events else ""


def night(desk: SimDesk) -> date:
    assert desk.desk is not None
    return desk.desk.queries.venue().venue.service_day(TIMES[0])


def open_offers(session: Any, now: datetime) -> list[dict[str, Any]]:
    """This desk's open offers, read from its tables: whom, which tables, from when until."""
    rows = session.execute(
        text(
            "SELECT o.id, o.booking_id, o.expires_at, f.table_ids, f.start, f.until "
            "FROM waitlist_offer o JOIN waitlist_freed f ON f.id = o.freed_id "
            "WHERE o.ended_at IS NULL AND f.closed_at IS NULL"
        )
    ).all()
    found = []
    for offer_id, booking_id, expires, tables, start, until in rows:
        if _instant(expires) <= now:
            continue
        found.append(
            {
                "id": offer_id,
                "booking_id": booking_id,
                "table_ids": set(json.loads(tables)),
                "start": max(_instant(start), now),
                "until": _instant(until) if until else None,
            }
        )
    return found


def offer_problems(
    offers: dict[str, list[dict[str, Any]]],
    bookings: dict[Any, dict[str, Any]],
    floor: dict[str, dict[Any, dict[str, Any]]] | None = None,
) -> list[str]:
    """What is wrong with the desks' open offers, judged against the server's bookings
    and, given its ``tables`` and ``combinations``, its floor."""
    problems: list[str] = []
    every = [(name, o) for name, found in offers.items() for o in found]
    for i, (name, o) in enumerate(every):
        for name2, o2 in every[i + 1 :]:
            if o["booking_id"] == o2["booking_id"]:
                problems.append(
                    f"guest {o['booking_id'][:8]} holds two offers at once ({name}, {name2})"
                )
            elif o["table_ids"] & o2["table_ids"] and _meet(o, o2):
                problems.append(
                    f"{name} and {name2} offer table {sorted(o['table_ids'])[0][:8]} to two "
                    "guests at once"
                )
        guest = bookings.get(o["booking_id"]) or bookings.get(uuid.UUID(o["booking_id"]))
        if guest is None or guest["status"] != "waitlisted":
            problems.append(f"{name} offers a table to {o['booking_id'][:8]}, not waiting")
        elif floor is not None and not _seats(floor, o["table_ids"], guest["party_size"]):
            problems.append(
                f"{name} offers table {sorted(o['table_ids'])[0][:8]} to a party of "
                f"{guest['party_size']} it does not seat"
            )
        for b in bookings.values():
            if b["status"] not in ("pending", "confirmed", "seated"):
                continue
            tables = {str(t) for t in b["table_ids"]}
            end = b["start"] + timedelta(minutes=b["duration_minutes"])
            if tables & o["table_ids"] and _meet(o, {"start": b["start"], "until": end}):
                problems.append(
                    f"{name} offers table {sorted(tables & o['table_ids'])[0][:8]} that "
                    f"booking {str(b['id'])[:8]} holds"
                )
    return problems


def _seats(floor: dict[str, dict[Any, dict[str, Any]]], table_ids: set[str], party: int) -> bool:
    """One of the tables seats the party, or the join of them all does."""
    tables = [t for k, t in floor["tables"].items() if str(k) in table_ids]
    if any(t["active"] and t["min_covers"] <= party <= t["max_covers"] for t in tables):
        return True
    return any(
        c["active"]
        and {str(t) for t in c["table_ids"]} == table_ids
        and c["min_party"] <= party <= c["max_party"]
        for c in floor["combinations"].values()
    )


def _meet(a: dict[str, Any], b: dict[str, Any]) -> bool:
    a_end = a["until"] or a["start"] + timedelta(hours=2)
    b_end = b["until"] or b["start"] + timedelta(hours=2)
    return a["start"] < b_end and b["start"] < a_end


def _instant(stored: str) -> datetime:
    """The desk stores instants as UTC ISO text (app/models/base.py UTCDateTime)."""
    at = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=UTC)
