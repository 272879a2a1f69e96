"""A desk's own row for a change is the row the server makes of it, column by column.

Random nights of staff actions run through the desk's real use cases on a real
SQLite file and sync to the real server on PostgreSQL. Another desk sometimes
changes a booking behind the first one's back, so stale edits, merges and
conflicts happen and are resolved. For every change the desk made while it had
seen everything (nothing concurrent), three answers must agree in every column
the server's tables have:

* the row the use case wrote on the desk,
* the row the desk's overlay rebuilds from the server's last row and the
  pending intents (what staff see while the change travels),
* the row the server stores once it has judged the intent.

The witness is the databases themselves (``SELECT *`` on both sides), not the
field lists the sync code exports.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from app.domain.booking import BookingStatus
from app.domain.deposit_ledger import PaymentMethod
from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.domain.policy_change import policy_terms
from app.protocol import Resolution
from app.services.booking_create import NewBooking
from app.services.conflicts import ConflictInbox
from app.services.deposits import TakeDeposit
from tests.sync.agreement import (
    FIRST_NIGHT,
    SERVER_ASSIGNED,
    World,
    as_json_rows,
    compared,
    conflict_kind,
    desk_bookings,
    open_desks,
    outcomes,
    replayed,
    server_rows,
)
from tests.sync.world import TABLE, SyncDesk

S = BookingStatus
TABLES = (2, 4, 5, 9, 12, 15, 16)


# --- staff actions -------------------------------------------------------------------


hours = st.integers(min_value=0, max_value=4)
parties = st.integers(min_value=1, max_value=11)
picks = st.integers(min_value=0, max_value=50)
words = st.sampled_from(["Window seat", "Birthday cake at 9", "Allergic to nuts", ""])
# The venue's packages (resources/backroom.json); prosecco is for 4-12, so some are refused.
packages = st.none() | st.sampled_from(["prosecco", "birthday", "booth-bottles"])
changes = st.sampled_from(["party", "notes", "move", "cancel", "seat", "cancel_undo"])
# What one desk does on its own.
own_action = st.one_of(
    st.tuples(
        st.just("book"), parties, st.none() | st.sampled_from(TABLES), hours, words, packages
    ),
    st.tuples(st.just("waitlist"), parties, hours),
    # A rush on one hour fills the night, so later parties fit only by moving others.
    st.tuples(st.just("rush"), hours, st.lists(st.integers(2, 6), min_size=4, max_size=12)),
    st.tuples(st.just("walk_in"), st.integers(1, 6), st.none() | st.sampled_from(TABLES)),
    st.tuples(st.just("move"), picks, st.sampled_from(TABLES), st.none() | hours),
    st.tuples(
        st.just("edit"),
        picks,
        st.none() | parties,
        st.none() | words,
        st.none() | st.sampled_from(["birthday", "anniversary", ""]),
        st.none() | words,
        packages | st.just(""),
    ),
    st.tuples(
        st.just("status"), picks, st.sampled_from(["confirm", "seat", "complete", "no_show"])
    ),
    st.tuples(st.just("cancel"), picks),
    # A cancel undone at once (both intents pending), or later (after its outcome).
    st.tuples(st.just("cancel_undo"), picks),
    st.tuples(st.just("undo"), picks),
    st.tuples(st.just("promote"), picks),
    # A deposit settled at the bar: taken in cash, waived by a manager, or taken at the door.
    st.tuples(st.just("deposit"), picks, st.sampled_from(["cash", "waive", "door"])),
    st.tuples(st.just("later"), st.integers(min_value=10, max_value=240)),
    # What a seated or departed party spent, from the till.
    st.tuples(st.just("spend"), picks, st.integers(min_value=0, max_value=60_000)),
    # A manager sets new prices: the deposit from 6 a head, and the Prosecco package's.
    st.tuples(st.just("prices"), st.sampled_from([800, 1000, 1500]), st.sampled_from([2000, 3000])),
)
action = st.one_of(
    own_action,
    # Clashes and their resolutions are what the property is most about: weighted up.
    *[st.tuples(st.just("clash"), picks, changes, changes)] * 3,
    *[st.tuples(st.just("resolve"), picks, picks)] * 2,
)


def _pick(desk: SyncDesk, n: int, statuses: set[str]) -> str | None:
    rows = [b for b in desk.bookings().values() if b["status"] in statuses]
    rows.sort(key=lambda b: (b["created_at"], b["id"]))
    return rows[n % len(rows)]["id"] if rows else None


def perform(desk: SyncDesk, step: tuple[Any, ...], night: datetime) -> str:
    """One staff action through the desk's real use cases (a refusal saves nothing);
    what it was, in a few words."""
    reception = desk.staff(Role.RECEPTION)
    manager = desk.staff(Role.MANAGER)
    d = desk.desk
    kind, *a = step
    active = {S.PENDING, S.CONFIRMED, S.SEATED}
    if kind == "book":
        party, table, hour, note, package = a
        # The world's clock runs on through the night ("later"), so a manager books: a time
        # gone by is then written up as a past booking and both sides judge it the same.
        d.create.create_booking(
            manager,
            NewBooking(
                name=f"Guest {party}{hour}",
                phone=f"0113 496 0{party:02d}{hour}",
                party_size=party,
                start=night + timedelta(hours=2 + hour),
                notes=note,
                table_ids=(str(TABLE[table]),) if table else (),
                allow_moves=True,
                record_past=True,
                package_id=package,
            ),
        )
    elif kind == "rush":
        hour, party_sizes = a
        for n, party in enumerate(party_sizes):
            with contextlib.suppress(DomainError):
                d.create.create_booking(
                    manager,
                    NewBooking(
                        name=f"Rush Guest {n}",
                        phone=f"0113 496 1{n:02d}{hour}",
                        party_size=party,
                        start=night + timedelta(hours=2 + hour),
                        allow_moves=True,
                        record_past=True,
                    ),
                )
    elif kind == "waitlist":
        party, hour = a
        d.create.add_to_waitlist(
            manager,
            NewBooking(
                name="Waiting Guest",
                phone="0113 496 0999",
                party_size=party,
                start=night + timedelta(hours=2 + hour),
                occasion="birthday",
                record_past=True,
            ),
        )
    elif kind == "walk_in":
        party, table = a
        d.create.walk_in(reception, party, (str(TABLE[table]),) if table else ())
    elif kind == "move":
        n, table, hour = a
        if b := _pick(desk, n, {S.PENDING, S.CONFIRMED}):
            start = None if hour is None else night + timedelta(hours=2 + hour)
            d.edits.move(reception, b, (str(TABLE[table]),), start=start)
    elif kind == "edit":
        n, party, special, occasion, notes, package = a
        if b := _pick(desk, n, active | {S.WAITLISTED}):
            d.edits.edit_details(
                reception,
                b,
                party_size=party,
                special_requests=special,
                occasion=occasion,
                notes=notes,
                package_id=package,
            )
    elif kind == "status":
        n, verb = a
        wanted = {"confirm": {S.PENDING}, "seat": {S.CONFIRMED}, "complete": {S.SEATED}}
        if b := _pick(desk, n, wanted.get(verb, {S.CONFIRMED})):
            getattr(d.lifecycle, verb)(reception, b)
    elif kind == "cancel":
        if b := _pick(desk, a[0], {S.PENDING, S.CONFIRMED}):
            d.lifecycle.cancel(reception, b, "guest called")
    elif kind == "cancel_undo":
        if b := _pick(desk, a[0], {S.PENDING, S.CONFIRMED, S.WAITLISTED}):
            d.lifecycle.cancel(reception, b, "by mistake")
            d.lifecycle.undo_cancel(reception, b)
    elif kind == "undo":
        if b := _pick(desk, a[0], {S.CANCELLED}):
            d.lifecycle.undo_cancel(reception, b)
    elif kind == "promote":
        if b := _pick(desk, a[0], {S.WAITLISTED}):
            d.lifecycle.promote(reception, b)
    elif kind == "deposit":
        n, how = a
        owing = [
            b
            for b in desk.bookings().values()
            if b["deposit_state"] == "required" and b["status"] in (S.PENDING, S.CONFIRMED)
        ]
        if owing:
            owing.sort(key=lambda b: (b["created_at"], b["id"]))
            b = owing[n % len(owing)]
            cash = TakeDeposit(b["deposit_pence"], PaymentMethod.CASH, "at the bar")
            if how == "cash":
                d.deposits.take(reception, b["id"], cash)
            elif how == "waive":
                d.deposits.waive(manager, b["id"], "regulars")
            else:
                d.deposits.seat_at_door(reception, b["id"], cash)
            return f"deposit {how}"
    elif kind == "spend":
        n, pence = a
        if b := _pick(desk, n, {S.SEATED, S.COMPLETED}):
            d.spend.record(reception, b, pence)
    elif kind == "prices":
        tier, prosecco = a
        terms = policy_terms(d.prices.in_force())
        tiers = [{"min_party": 6, "pence": tier}]
        sold = [p | {"pence": prosecco} if p["id"] == "prosecco" else p for p in terms["packages"]]
        d.prices.set(manager, terms | {"tiers": tiers, "busy_tiers": tiers, "packages": sold})
    elif kind == "resolve":
        n, choice = a
        inbox = ConflictInbox(desk.store, desk.clock)
        waiting = inbox.open_ids()
        if waiting:
            conflict_id = waiting[n % len(waiting)]
            allowed = inbox.allowed(conflict_id)
            resolution = allowed[choice % len(allowed)]
            inbox.resolve(manager, conflict_id, Resolution(resolution))
            return f"resolve {conflict_kind(desk, conflict_id)} {resolution.value}"
    return str(kind)


def elsewhere(other: SyncDesk, booking_id: str, what: str, night: datetime) -> None:
    """Another desk changes a booking and syncs at once, behind the first desk's back."""
    other.engine.sync_once()
    reception = other.staff(Role.RECEPTION)
    d = other.desk
    with contextlib.suppress(DomainError):
        if what == "party":
            current = other.bookings()[booking_id]["party_size"]
            d.edits.edit_details(reception, booking_id, party_size=current % 4 + 1)
        elif what == "notes":
            d.edits.edit_details(reception, booking_id, notes="Changed on the manager's laptop")
        elif what == "move":
            d.edits.move(reception, booking_id, (str(TABLE[9]),), start=night + timedelta(hours=5))
        elif what == "cancel":
            d.lifecycle.cancel(reception, booking_id)
        elif what == "cancel_undo":
            d.lifecycle.cancel(reception, booking_id)
            d.lifecycle.undo_cancel(reception, booking_id)
        elif what == "seat":
            d.lifecycle.seat(reception, booking_id)
    other.engine.sync_once()


def meanwhile(desk: SyncDesk, booking_id: str, what: str, night: datetime) -> str:
    """The first desk changes the same booking, not knowing of the other's change."""
    reception = desk.staff(Role.RECEPTION)
    d = desk.desk
    if what == "party":
        current = desk.bookings()[booking_id]["party_size"]
        d.edits.edit_details(
            reception,
            booking_id,
            party_size=(current + 1) % 4 + 1,
            occasion="anniversary",
            special_requests="Quiet corner",
        )
    elif what == "notes":
        d.edits.edit_details(reception, booking_id, notes="Called back: running late")
    elif what == "move":
        d.edits.move(reception, booking_id, (str(TABLE[10]),), start=night + timedelta(hours=4))
    elif what == "cancel":
        d.lifecycle.cancel(reception, booking_id)
    elif what == "cancel_undo":
        d.lifecycle.cancel(reception, booking_id)
        d.lifecycle.undo_cancel(reception, booking_id)
    else:
        d.lifecycle.seat(reception, booking_id)
    return f"{what} meanwhile"


def sent(desk: SyncDesk) -> int:
    with sqlite3.connect(desk.path) as conn:
        return int(conn.execute("SELECT last_seq FROM device").fetchone()[0])


def check_one_change(
    world: World, desk: SyncDesk, other: SyncDesk, step: tuple[Any, ...], night: datetime
) -> None:
    """One change on the desk (perhaps clashing with another desk's), checked three ways."""
    fresh = step[0] != "clash"
    if not fresh:
        _kind, n, theirs_change, mine_change = step
        target = _pick(desk, n, {S.PENDING, S.CONFIRMED})
        if target is None:
            # Something to clash over: a party of four, booked and synced.
            check_one_change(world, desk, other, ("book", 4, None, n % 5, "", None), night)
            target = _pick(desk, n, {S.PENDING, S.CONFIRMED})
            if target is None:
                return  # the night is full (the four went on the waitlist): no clash to make
        elsewhere(other, target, theirs_change, night)
    before, seq = desk_bookings(desk.path), sent(desk)
    try:
        done = (
            perform(desk, step, night) if fresh else meanwhile(desk, target, mine_change, night)  # type: ignore[possibly-undefined]
        )
    except DomainError:
        assert desk_bookings(desk.path) == before, "a refusal changed the desk"
        done = ""
    if sent(desk) == seq:
        desk.engine.sync_once()  # it has seen the other desk's change before its next one
        return
    mine = desk_bookings(desk.path)
    touched = {b for b, row in mine.items() if before.get(b) != row}

    # The overlay rebuilds exactly the rows the use case wrote.
    assert replayed(desk, touched) == as_json_rows(desk, touched), step

    desk.engine.sync_once()
    theirs = server_rows(world.database_url, "bookings")
    event(f"{'fresh' if fresh else 'concurrent'} {done}: {outcomes(desk)}")
    refused = {b for b in touched if b not in theirs}
    assert not (fresh and refused), f"{step}: the server refused a fresh change"
    touched -= refused
    if fresh:
        # Nothing happened elsewhere: the server made the desk's rows.
        for b in touched:
            differ = compared(mine[b], theirs[b], SERVER_ASSIGNED)
            assert differ == [], f"{step}: booking {b[:8]} {differ}"
    # After the sync the desk holds the server's rows, whatever happened.
    synced = desk_bookings(desk.path)
    for b in touched:
        assert compared(synced[b], theirs[b], set()) == [], step


# --- the property --------------------------------------------------------------------


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(action, min_size=4, max_size=16))
# A clash on a desk with nothing booked yet books the party it clashes over first.
@example(steps=[("clash", 0, "party", "notes"), ("clash", 1, "move", "cancel")])
def test_the_desks_row_for_a_change_is_the_row_the_server_makes_of_it(world, steps):
    night = FIRST_NIGHT + timedelta(days=next(world.nights))
    world.clock.instant = night
    with tempfile.TemporaryDirectory() as folder:
        desk, other = open_desks(world, Path(folder))
        desk.engine.sync_once()
        try:
            for step in steps:
                world.clock.advance(minutes=3)
                if step[0] == "later":
                    world.clock.advance(minutes=step[1])
                    continue
                check_one_change(world, desk, other, step, night)
        finally:
            desk.close()
            other.close()


# Stamped by the server's clock when it judges the intent, the desk's until then
# (docs/sync.md, "Server-stamped instants"): an offline change is judged later.
JUDGED_AT = {"created_at", "updated_at", "waitlisted_at"}


def server_outcomes(desk: SyncDesk) -> list[tuple[str, str, str]]:
    with sqlite3.connect(desk.path) as conn:
        rows = conn.execute("SELECT name, outcome, reason FROM sync_outcome ORDER BY device_seq")
        return [(n, o, r or "") for n, o, r in rows]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(own_action, min_size=4, max_size=16))
def test_a_stretch_of_the_night_made_offline_is_taken_by_the_server_as_the_desk_made_it(
    world, steps
):
    # Nobody else changed anything: every change the desk made offline — a booking made,
    # then noted, then moved aside for a walk-in — must be applied, none refused or kept
    # as a conflict, and each row the server stores is the row the desk showed.
    night = FIRST_NIGHT + timedelta(days=next(world.nights))
    world.clock.instant = night
    with tempfile.TemporaryDirectory() as folder:
        desk, other = open_desks(world, Path(folder))
        desk.engine.sync_once()
        try:
            done = []
            for step in steps:
                world.clock.advance(minutes=3)
                if step[0] == "later":
                    world.clock.advance(minutes=step[1])
                    continue
                with contextlib.suppress(DomainError):
                    done.append(perform(desk, step, night))
            mine = desk_bookings(desk.path)
            # Replaying the whole stretch over what the server had rebuilds the rows the
            # use cases wrote, as a pull before the push would.
            assert replayed(desk, set(mine)) == as_json_rows(desk, set(mine)), done
            desk.engine.sync_once()

            answered = server_outcomes(desk)
            event(f"offline: {len(answered)} intents")
            if any(name == "rearrange" for name, _, _ in answered):
                event("offline: bookings re-arranged for a later party")
            # "merged": taken as made, over versions this desk's own earlier changes made.
            assert [a for a in answered if a[1] not in ("applied", "merged")] == [], done
            theirs = server_rows(world.database_url, "bookings")
            assert set(theirs) == set(mine)
            for b, row in mine.items():
                assert compared(row, theirs[b], SERVER_ASSIGNED | JUDGED_AT) == [], (done, b[:8])
        finally:
            desk.close()
            other.close()
