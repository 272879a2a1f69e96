"""What each booking change does to a booking, from the brief's rules.

Each function takes the booking as it is and returns it as the change leaves
it, or raises ``Failure`` (via ``Checks``) in the order the rules apply:
a cancelled booking is not changed ("after_cancel"); tables that cannot seat the
party are "invalid"; anything else is a rejection with its reason. Where the
brief is silent on order, tests/server (the specification the server meets) and
docs/architecture.md decide; the order matters only when two rules fail at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tests.sim.model.rows import (
    CANCELLED,
    CLOSED,
    COMPLETED,
    CONFIRMED,
    CONFLICT,
    HOLDING,
    LEGAL,
    NO_SHOW,
    PENDING,
    PRICED,
    SEATED,
    WAITLISTED,
    Booking,
)
from tests.sim.model.state import Checks, Failure
from tests.sim.model.venue import Plan, Venue

MIN_MINUTES, MAX_MINUTES, MAX_PRIORITY = 15, 720, 1000


def canonical(table_ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tables once each, sorted by id."""
    return tuple(sorted({str(t).lower() for t in table_ids}))


def priced(venue: Venue, b: Booking, vip: bool) -> Booking:
    """The policy's deposit, while nothing has been paid (paid/waived/refunded stay)."""
    if b.deposit_state not in PRICED:
        return b
    pence = venue.deposits.pence(b.party_size, venue.service_day(b.start), vip, b.source)
    return replace(
        b,
        deposit_pence=pence,
        deposit_state="required" if pence else "not_required",
        deposit_policy_version=venue.deposits.version,
    )


def packaged(venue: Venue, b: Booking, package_id: str | None, checks: Checks) -> Booking:
    """The booking with the package chosen ("" or None: none), at its price for the party."""
    if not package_id:
        return replace(b, package_id=None, package_pence=0)
    pence = venue.deposits.package_pence(package_id, b.party_size)
    if pence is None:
        sold = package_id in venue.deposits.packages
        checks.reject(True, "package_party" if sold else "package_unknown")
        return b
    return replace(b, package_id=package_id, package_pence=pence)


def merged_text(current: str, seen: object, mine: str, signature: str) -> str:
    """Free text written over a version the desk did not see keeps both, mine signed."""
    if seen is None or str(seen) == current or mine == current:
        return mine
    return f"{current}\n— {signature}: {mine}"


def _after_cancel(b: Booking) -> None:
    if b.status == CANCELLED:
        raise Failure("after_cancel")


def move(
    plan: Plan, venue: Venue, b: Booking, tables: list[str], start: datetime, minutes: int, at
) -> Booking:
    _after_cancel(b)
    checks = Checks()
    checks.reject(b.status in CLOSED, "closed", b.status)
    checks.reject(not MIN_MINUTES <= minutes <= MAX_MINUTES, "duration")
    ids = canonical(tables)
    if not checks.reject(bool(plan.unknown(list(ids))), "unknown_table"):
        checks.reject(b.status == WAITLISTED and bool(ids), "waitlisted_tables")
        if b.status in HOLDING and not checks.reject(not ids, "choose_table"):
            checks.unseatable(not plan.seats(ids, b.party_size))
    changed = (start, minutes) != (b.start, b.duration_minutes)
    checks.reject(changed and b.status != SEATED and not venue.open_for(start, minutes), "hours")
    checks.settle()
    return replace(
        b,
        table_ids=ids,
        combined=plan.combined(ids),
        start=start,
        duration_minutes=minutes,
        updated_at=at,
    )


def edit(
    plan: Plan,
    venue: Venue,
    b: Booking,
    args: dict,
    *,
    vip: bool,
    seen: dict | None,
    signature: str,
    at,
) -> Booking:
    """Party size (still seated by its tables, re-priced) and the booking's words."""
    _after_cancel(b)
    checks = Checks()
    after = b
    party = args.get("party_size")
    if party is not None and party != b.party_size:
        checks.reject(b.status in CLOSED, "party_closed", b.status)
        checks.reject(not 1 <= party <= plan.largest_party(), "party_too_large")
        if b.holds:
            checks.unseatable(not plan.seats(b.table_ids, party))
        after = priced(venue, replace(after, party_size=party), vip)
    package = args.get("package_id")
    if package is not None and (package or None) != b.package_id:
        checks.reject(b.status in CLOSED, "package_closed", b.status)
        after = packaged(venue, after, package, checks)
    elif after.party_size != b.party_size and after.package_id in venue.deposits.packages:
        # A package still sold is priced for the new party; one no longer sold keeps its price.
        after = packaged(venue, after, after.package_id, checks)
    for name in ("special_requests", "occasion", "notes"):
        value = args.get(name)
        if value is None:
            continue
        mine = value.strip()
        if name != "occasion":
            mine = merged_text(getattr(b, name), (seen or {}).get(name), mine, signature)
        after = replace(after, **{name: mine})
    priority = args.get("priority_score")
    if priority is not None:
        checks.reject(not 0 <= priority <= MAX_PRIORITY, "priority")
        after = replace(after, priority_score=priority)
    checks.settle()
    return b if after == b else replace(after, updated_at=at)


def set_status(
    plan: Plan,
    b: Booking,
    status: str,
    at,
    tables: list[str] | None = None,
    left_at: datetime | None = None,
    *,
    venue: Venue,
) -> Booking:
    checks = Checks()
    checks.reject(status == CONFLICT, "to_conflict")
    checks.settle()
    if b.status == CANCELLED and status != CANCELLED:
        raise Failure("after_cancel")
    if status == b.status and tables is None:
        return b
    # Marked before the party's time, a no-show would free the table and open a claim; a
    # party seated on a night before its own would show seated on a night to come.
    checks.reject(
        status == SEATED and venue.service_day(at) < venue.service_day(b.start), "seated_early"
    )
    checks.reject(status == NO_SHOW and at < b.start, "no_show_early")
    checks.reject(status == CONFIRMED and not b.settled, "deposit_owed")
    checks.reject(status not in LEGAL[b.status], "illegal_move", b.status, status)
    checks.settle()
    after = replace(b, status=status, updated_at=at)
    if status == WAITLISTED:
        after = replace(after, table_ids=(), combined=False, waitlisted_at=at)
    if tables is not None and status in HOLDING:
        ids = canonical(tables)
        checks.reject(bool(plan.unknown(list(ids))), "unknown_table")
        checks.settle()
        after = replace(after, table_ids=ids, combined=plan.combined(ids))
    if after.holds:
        checks.unseatable(not plan.seats(after.table_ids, after.party_size))
        checks.settle()
    if status == "completed" and left_at is not None and b.start < left_at < b.end:
        stayed = int((left_at - b.start).total_seconds() // 60)
        after = replace(after, duration_minutes=max(MIN_MINUTES, stayed))
    return after


def rearranged(plan: Plan, b: Booking, tables: list[str], at) -> Booking:
    """One booking of a re-arrangement on its new tables; any failure is a rejection."""
    checks = Checks()
    checks.reject(b.status not in HOLDING, "not_holding", b.reference)
    ids = canonical(tables)
    if not checks.reject(bool(plan.unknown(list(ids))), "unknown_table"):
        moved = ids != tuple(sorted(b.table_ids))
        checks.reject(b.status == SEATED and moved, "seated_moved", b.reference)
        checks.reject(not plan.seats(ids, b.party_size), "rearrange_seats", b.reference)
    checks.settle()
    return replace(b, table_ids=ids, combined=plan.combined(ids), updated_at=at)


def restored_status(b: Booking, wanted: object) -> str:
    """The status a booking kept in conflict returns to: the one it asked for if that
    holds tables, else booked — confirmed only once no deposit is owed."""
    status = wanted if wanted in HOLDING else (CONFIRMED if b.settled else PENDING)
    return PENDING if status == CONFIRMED and not b.settled else str(status)


def restored(b: Booking, wanted: object, at) -> Booking:
    if b.status != CONFLICT:
        return b
    return replace(b, status=restored_status(b, wanted), updated_at=at)


def spent(b: Booking, pence: int, at) -> Booking:
    """A spend is recorded once the party sat down (seated or completed), £0–£100,000;
    the latest recorded replaces the one before."""
    if b.status == CANCELLED:
        raise Failure("after_cancel")
    checks = Checks()
    checks.reject(b.status not in (SEATED, COMPLETED), "spend_unseated")
    checks.reject(not 0 <= pence <= 10_000_000, "spend_range")
    checks.settle()
    return replace(b, spend_pence=pence, updated_at=at)
