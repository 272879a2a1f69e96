"""The allocation engine as the use cases see it: decisions and re-arrangements of a night.

Decisions are made inside the use case's unit of work, so the moves a
decision proposes are checked against the same snapshot they are applied to.
A re-arrangement is journaled as ONE ``rearrange`` intent (with an audit event
per moved booking), which the server applies in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.domain.allocation import (
    Decision,
    Engine,
    Move,
    SeatingRequest,
    clock_for,
    describe_move,
    first_in_the_way,
)
from app.domain.allocation.repack import VipOf
from app.domain.booking import Booking, booking_snapshot
from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.journal import Change
from app.models.uow import Reader, UnitOfWork
from app.protocol import IntentName, RearrangeArgs, meaning
from app.services.common import get_booking, judging, night_bookings
from app.services.held import held_around, hold_in_engine


def vip_lookup(reader: Reader, bookings: Sequence[Booking]) -> VipOf:
    """VIP guests keep their claim on VIP tables when the engine re-packs the night."""
    customers = reader.customers.many([b.customer_id for b in bookings])
    vips = {cid for cid, c in customers.items() if c.vip}
    return lambda booking: booking.customer_id in vips


def decision_for(
    reader: Reader, bundle: VenueRules, request: SeatingRequest, now: datetime
) -> Decision:
    bookings = night_bookings(reader, bundle, request.start)
    window = bundle.venue.opening_window(bundle.venue.service_day(request.start))
    engine = Engine(
        bundle.plan, clock_for(bookings, request), bookings, vip_lookup(reader, bookings)
    )
    hold_in_engine(engine, held_around(reader, bundle, request.start, now), request)
    return engine.decide(request, now, window)


def move_sentences(reader: Reader, bundle: VenueRules, moves: Sequence[Move]) -> list[str]:
    names = reader.customers.many([m.customer_id for m in moves])
    return [
        describe_move(m, bundle.plan, lambda cid: names[cid].name if cid in names else "?")
        for m in moves
    ]


def apply_moves(
    uow: UnitOfWork, rules: VenueRules, staff: Staff, now: datetime, moves: Sequence[Move]
) -> list[Booking]:
    """Move unseated bookings to new tables as one ``rearrange`` intent."""
    befores = [get_booking(uow, move.booking_id) for move in moves]
    args = RearrangeArgs(
        moves=[
            {"booking_id": b.id, "base_version": b.version, "table_ids": list(m.to_table_ids)}
            for b, m in zip(befores, moves, strict=True)
        ]
    )
    previous: dict[str, object] = {
        "moves": [{"booking_id": m.booking_id, "table_ids": list(m.from_table_ids)} for m in moves]
    }
    for before in befores:
        for action in meaning.required_actions(args, before):
            staff.require(action)
    # A plan proposed a while ago is stale for a booking moved since (meaning._stale_move).
    moved = meaning.rearranged(judging(uow, rules, staff, now), befores, args, previous)
    for after in moved:
        uow.bookings.save(after, rules.venue.service_day(after.start))
    uow.journal.record(
        staff=staff,
        at=now,
        intent=IntentName.REARRANGE,
        entity_id=moves[0].booking_id,
        base_version=0,
        args=args,
        previous=previous,
        changes=[
            Change("booking", a.id, booking_snapshot(b), booking_snapshot(a))
            for b, a in zip(befores, moved, strict=True)
        ],
    )
    return moved


def taken(
    reader: Reader,
    rules: VenueRules,
    bookings: Sequence[Booking],
    table_ids: Sequence[str],
    request: SeatingRequest,
) -> DomainError:
    """Why the tables cannot be had, naming the party in the way and what would fit:
    "Table 15 is taken from 23:00 by Oliver Hughes (8); it is free until 23:00."."""
    venue, numbers = rules.venue, rules.plan.numbers(table_ids)
    other = first_in_the_way(bookings, table_ids, request)
    if other is None:
        return DomainError(f"Table {numbers} is taken at {venue.show_time(request.start)}.")
    guest = reader.customers.get(other.customer_id)
    who = (
        f"{guest.name} ({other.party_size})"
        if guest
        else f"booking {format_reference(other.reference)}"
    )
    wanted = set(table_ids)
    table = rules.plan.numbers(tuple(t for t in other.table_ids if t in wanted))
    words = (
        f"Table {table} is taken from {venue.show_time(other.start)} to "
        f"{venue.show_time(other.end)} by {who}"
    )
    if other.start > request.start:
        words += f"; it is free until {venue.show_time(other.start)}: seat them until then"
    elif other.end < request.end:
        words += f"; it is free from {venue.show_time(other.end)}"
    return DomainError(f"{words}, or choose another table.")
