"""Random staff actions, mostly on a few tables and times so desks collide often.

Each action runs a real use case on a desk. A refusal by the desk itself (the
table is taken as far as this desk knows, an illegal status move) is part of
normal work: it saves nothing and is only counted.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import replace

from app.domain.booking import BookingStatus
from app.domain.deposit_ledger import PaymentMethod
from app.domain.deposit_words import owed_back
from app.domain.errors import DomainError
from app.domain.floorplan import Area, Combination
from app.domain.permissions import Role, Staff
from app.domain.policy_change import policy_terms
from app.protocol import Resolution
from app.services.booking_create import NewBooking
from app.services.common import get_booking
from app.services.conflicts import ConflictInbox
from app.services.deposits import TakeDeposit
from app.sync.mirror import read_bookings
from tests.server.harness import PLAN
from tests.sim.desk import SimDesk
from tests.sim.waitlist import answer, free, wait
from tests.sim.world import TERRACE, TIMES
from tests.sync.world import TABLE

HOT_TABLES = (4, 5)
OTHER_TABLES = (6, 7, 14)
NAMES = ("Ada", "Grace", "Alan", "Kwame", "Priya", "Zara", "Finn", "Mia")
S = BookingStatus
# The join of the two hot tables that managers make, change and retire: one id on every
# desk, as a venue's join has (adding it again brings the same join back).
JOIN_4_5 = str(uuid.uuid5(uuid.NAMESPACE_URL, "backroom-sim/join-4-5"))
# Two areas managers add, rename and take off the plan (one id each on every desk; the
# Terrace is on the plan when a seed starts), and the quiet table they move into them
# and back; their names clash now and then.
NEW_AREAS = (TERRACE, str(uuid.uuid5(uuid.NAMESPACE_URL, "backroom-sim/area-2")))
AREA_NAMES = ("Terrace", "Garden", "Mezzanine")
MOVED_TABLE = 14


def _table(rng: random.Random) -> str:
    pool = HOT_TABLES if rng.random() < 0.8 else OTHER_TABLES
    return str(TABLE[rng.choice(pool)])


def _staff(rng: random.Random, desk: SimDesk) -> Staff:
    assert desk.desk is not None
    staff = desk.desk.auth.staff()
    role = Role.MANAGER if rng.random() < 0.25 else Role.RECEPTION
    return next(s for s in staff if s.role is role)


def _manager(desk: SimDesk) -> Staff:
    assert desk.desk is not None
    return next(s for s in desk.desk.auth.staff() if s.role is Role.MANAGER)


# The packages the form offers by party size (resources/backroom.json): staff choose among
# those, so a package the server refuses comes of a party changed elsewhere meanwhile.
_FITS = {"prosecco": range(4, 13), "birthday": range(1, 101), "booth-bottles": range(6, 101)}


def _package(rng: random.Random, party: int) -> str | None:
    """Now and then a package from the venue's list that a party of this size can have."""
    chosen = rng.choice((None, None, None, "prosecco", "birthday", "booth-bottles"))
    return chosen if chosen is not None and party in _FITS[chosen] else None


def _bookings(desk: SimDesk, statuses: set[str]) -> list[dict]:
    assert desk.store is not None
    with desk.store.read() as reader:
        rows = read_bookings(reader.session)
    found = [b for b in rows.values() if b["status"] in statuses]
    return sorted(found, key=lambda b: (b["created_at"], b["id"]))


# A desk whose clock runs a day fast sees tonight as gone: its managers write the night up
# as past bookings (its reception staff are refused), so skewed intents still reach the server.
def create(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    name = rng.choice(NAMES)
    party = rng.randint(2, 4)
    tables = (_table(rng),)
    if rng.random() < 0.3 and _joined(desk):  # a bigger party on the hot tables' join
        party, tables = rng.randint(5, 8), (str(TABLE[4]), str(TABLE[5]))
    result = desk.desk.create.create_booking(
        _staff(rng, desk),
        NewBooking(
            name=f"{name} {rng.randint(1, 99)}",
            phone=f"0113 496 {rng.randint(0, 9999):04d}",
            party_size=party,
            start=rng.choice(TIMES),
            duration_minutes=120,
            table_ids=tables,
            record_past=True,
            package_id=_package(rng, party),
        ),
    )
    desk.created.append(result.booking.id)
    return f"create {result.booking.reference} {result.booking.status}"


def book_anywhere(rng: random.Random, desk: SimDesk) -> str:
    """The engine chooses, moving unseated bookings if that seats the party (``rearrange``)."""
    assert desk.desk is not None
    name = rng.choice(NAMES)
    party = rng.randint(2, 6)
    result = desk.desk.create.create_booking(
        _staff(rng, desk),
        NewBooking(
            name=f"{name} {rng.randint(1, 99)}",
            phone=f"0113 496 {rng.randint(0, 9999):04d}",
            party_size=party,
            start=rng.choice(TIMES),
            duration_minutes=120,
            allow_moves=True,
            record_past=True,
            package_id=_package(rng, party),
        ),
    )
    desk.created.append(result.booking.id)
    return f"book anywhere {result.booking.reference} {result.booking.status}"


def promote(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    b = _pick(rng, desk, {S.WAITLISTED})
    if b is None:
        return "promote: nobody waiting"
    desk.desk.lifecycle.promote(_staff(rng, desk), b["id"])
    return f"promote {b['reference']}"


def move_table(rng: random.Random, desk: SimDesk) -> str:
    """A manager drags a table on the floor plan (``update_table``)."""
    assert desk.desk is not None
    manager = _manager(desk)
    table_id = _table(rng)
    x, y = rng.randint(0, 80) * 10, rng.randint(0, 50) * 10
    desk.desk.floor.move_table(manager, table_id, x, y)
    return f"move table {table_id[:8]} to {x},{y}"


def _joined(desk: SimDesk) -> bool:
    """Whether this desk's plan joins the hot tables (as far as it knows)."""
    assert desk.store is not None
    with desk.store.read() as reader:
        return any(c.id == JOIN_4_5 for c in reader.venue.get().plan.combinations)


def join(rng: random.Random, desk: SimDesk) -> str:
    """A manager joins tables 4 and 5 for bigger parties, changes the join's party range,
    or retires it (``update_combination``)."""
    assert desk.desk is not None
    if _joined(desk) and rng.random() < 0.4:
        return desk.desk.floor.retire_combination(_manager(desk), JOIN_4_5).message
    tables = frozenset({str(TABLE[4]), str(TABLE[5])})
    combo = Combination(JOIN_4_5, "4 + 5", tables, rng.choice((5, 6)), rng.choice((6, 7, 8)))
    return desk.desk.floor.save_combination(_manager(desk), combo).message


def resize(rng: random.Random, desk: SimDesk) -> str:
    """A manager cuts a hot table to a table for two, or puts the four-top back
    (``update_table``): refused while a party or the join relies on its seats."""
    assert desk.desk is not None and desk.store is not None
    table_id = str(TABLE[rng.choice(HOT_TABLES)])
    with desk.store.read() as reader:
        table = reader.venue.get().plan.table(table_id)
    low, high = (1, 2) if table.max_covers > 2 else (2, 4)
    desk.desk.floor.save_table(_manager(desk), replace(table, min_covers=low, max_covers=high))
    return f"table {table.number} seats {low}–{high}"


def area(rng: random.Random, desk: SimDesk) -> str:
    """A manager adds an area, renames it or flags it VIP (``update_area``), moves a table
    into it or back (``update_table``), or takes it off the plan: refused while a table
    stands in it, as a table moved into an area removed elsewhere is."""
    assert desk.desk is not None and desk.store is not None
    # Mostly the one area, so a removal on one desk meets a table moved in on another.
    manager, area_id = _manager(desk), NEW_AREAS[0] if rng.random() < 0.75 else NEW_AREAS[1]
    with desk.store.read() as reader:
        plan = reader.venue.get().plan
    on_plan = any(a.id == area_id for a in plan.areas)
    roll = rng.random()
    if on_plan and roll < 0.3:
        return desk.desk.floor.remove_area(manager, area_id).message
    if on_plan and roll < 0.6:
        table = plan.table(str(TABLE[MOVED_TABLE]))
        home = next(t["area_id"] for t in PLAN["tables"] if t["number"] == MOVED_TABLE)
        target = home if table.area_id == area_id else area_id
        desk.desk.floor.save_table(manager, replace(table, area_id=target))
        return f"table {MOVED_TABLE} to area {target[:8]}"
    named = Area(area_id, rng.choice(AREA_NAMES), vip=rng.random() < 0.3)
    return desk.desk.floor.save_area(manager, named).message


def guest(rng: random.Random, desk: SimDesk) -> str:
    """Reception gives a booked guest's email address (``upsert_customer``)."""
    assert desk.desk is not None
    b = _pick(rng, desk, {S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED})
    if b is None:
        return "guest: nobody booked"
    email = f"{rng.choice(NAMES).lower()}{rng.randint(1, 99)}@example.com"
    done = desk.desk.guests.update(_staff(rng, desk), b["customer_id"], email=email)
    return done.message


def walk_in(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    result = desk.desk.create.walk_in(_staff(rng, desk), rng.randint(2, 4), (_table(rng),))
    desk.created.append(result.booking.id)
    return f"walk-in {result.booking.reference}"


def _pick(rng: random.Random, desk: SimDesk, statuses: set[str]) -> dict | None:
    found = _bookings(desk, statuses)
    return rng.choice(found) if found else None


def move(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    b = _pick(rng, desk, {S.PENDING, S.CONFIRMED})
    if b is None:
        return "move: nothing to move"
    start = rng.choice(TIMES) if rng.random() < 0.3 else None
    desk.desk.edits.move(_staff(rng, desk), b["id"], (_table(rng),), start=start)
    return f"move {b['reference']}"


def edit(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    b = _pick(rng, desk, {S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED})
    if b is None:
        return "edit: nothing to edit"
    if rng.random() < 0.5:
        desk.desk.edits.edit_details(
            _staff(rng, desk), b["id"], notes=f"note {rng.randint(1, 999)}"
        )
    elif rng.random() < 0.2:
        desk.desk.edits.edit_details(
            _staff(rng, desk), b["id"], package_id=_package(rng, b["party_size"]) or ""
        )
    else:
        desk.desk.edits.edit_details(_staff(rng, desk), b["id"], party_size=rng.randint(1, 4))
    return f"edit {b['reference']}"


def seat(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    b = _pick(rng, desk, {S.CONFIRMED})
    if b is None:
        return "seat: nobody to seat"
    desk.desk.lifecycle.seat(_staff(rng, desk), b["id"])
    if rng.random() < 0.5:
        # Their first round, from the till, recorded at once (a second intent).
        desk.desk.spend.record(_staff(rng, desk), b["id"], rng.randrange(0, 40_000, 50))
        return f"seat {b['reference']}, spent"
    return f"seat {b['reference']}"


def spend(rng: random.Random, desk: SimDesk) -> str:
    """What a seated or departed party spent, from the till."""
    assert desk.desk is not None
    b = _pick(rng, desk, {S.SEATED, S.COMPLETED})
    if b is None:
        return "spend: nobody seated"
    desk.desk.spend.record(_staff(rng, desk), b["id"], rng.randrange(0, 40_000, 50))
    return f"spend {b['reference']}"


def deposit(rng: random.Random, desk: SimDesk) -> str:
    """A deposit the desk shows owed, settled at the bar: paid in person (now and then as
    the party is seated at the door; a payment link may be out already) or waived by a
    manager. Another desk may have settled it, re-priced it, sent a link or cancelled the
    booking meanwhile."""
    assert desk.desk is not None
    owing = [
        b
        for b in _bookings(desk, {S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED})
        if b["deposit_state"] in ("required", "requested")
    ]
    if not owing:
        return "deposit: nothing owed"
    b = rng.choice(owing)
    staff = _staff(rng, desk)
    if rng.random() < 0.25:
        desk.desk.deposits.waive(_manager(desk), b["id"], "a regular, known to the manager")
        return f"deposit {b['reference']} waived"
    paid = TakeDeposit(b["deposit_pence"], rng.choice(list(PaymentMethod)))
    if b["status"] == S.CONFIRMED and rng.random() < 0.3:
        desk.desk.deposits.seat_at_door(staff, b["id"], paid)
        return f"deposit {b['reference']} paid at the door, seated"
    desk.desk.deposits.take(staff, b["id"], paid)
    return f"deposit {b['reference']} paid"


def link(rng: random.Random, desk: SimDesk) -> str:
    """A payment link sent for a deposit the desk shows owed (tests/sim/payments.py: the
    guest may pay it, or not, before or after the party settles at the bar)."""
    assert desk.desk is not None
    owing = [
        b
        for b in _bookings(desk, {S.PENDING, S.CONFIRMED, S.SEATED})
        if b["deposit_state"] == "required"
    ]
    if not owing:
        return "link: nothing owed"
    b = rng.choice(owing)
    desk.desk.links.request_link(_staff(rng, desk), b["id"])
    return f"deposit {b['reference']}: payment link asked"


def refund(rng: random.Random, desk: SimDesk) -> str:
    """A manager refunds deposit money Stripe took — all that is left, or part of it, as
    goodwill or because the guest paid twice. Another desk may have refunded it already
    (the server then refuses what is no longer there)."""
    assert desk.desk is not None
    manager = _manager(desk)
    taken = [b for b in _bookings(desk, set(S)) if b["deposit_state"] != "not_required"]
    rng.shuffle(taken)
    for b in taken:
        try:
            offer = desk.desk.deposit_actions.refund_offer(manager, b["id"])
        except DomainError:
            continue  # nothing taken online (as far as this desk knows)
        most = offer.most_pence
        amount = most if rng.random() < 0.6 or most < 200 else rng.randrange(100, most, 100)
        desk.desk.deposit_actions.refund(manager, b["id"], amount, "goodwill")
        return f"refund {b['reference']} {amount}p of {most}p"
    return ""  # nothing taken online, as far as this desk knows: staff do something else


def give_back(rng: random.Random, desks: list[SimDesk]) -> list[str]:
    """The morning after, a manager refunds what each booking holds beyond what it may
    keep (the night review's "to give back") that Stripe took: a link paid after the party
    paid at the bar or the booking was cancelled; and, more often than not, (part of) a
    deposit paid online for a guest who complained — often from two desks before either
    has synced, so the server refuses what the first gave back already."""
    desk = desks[0]
    assert desk.desk is not None and desk.store is not None
    manager = _manager(desk)
    said = []
    if rng.random() < 0.6:
        for other in desks[: 2 if rng.random() < 0.6 else 1]:
            said.append(f"{other.name} {refund(rng, other) or 'nothing to refund'}")
            other.record_saved()
    for b in _bookings(desk, set(S)):
        with desk.store.read() as reader:
            booking = get_booking(reader, b["id"])
            back = owed_back(booking, reader.ledger.of_bookings([b["id"]]))
        if not back:
            continue
        actions, giving = desk.desk.deposit_actions, desk.desk.giving_back
        try:
            most = actions.refund_offer(manager, b["id"]).most_pence
        except DomainError:
            most = 0  # nothing Stripe took is left: all of it at the bar
        try:
            if most:
                actions.refund(manager, b["id"], min(back, most), "to give back")
            if back > most:  # the rest at the bar, and recorded (Money given back…)
                giving.give_back(manager, b["id"], back - most, PaymentMethod.CASH, "the rest")
        except DomainError as refused:
            said.append(f"give back {b['reference']} refused on the desk: {str(refused)[:50]}")
            continue
        said.append(f"give back {b['reference']} {back}p ({min(back, most)}p through Stripe)")
    desk.record_saved()
    return said


def refund_again(rng: random.Random, desks: list[SimDesk]) -> list[str]:
    """A manager sees "refund failed" (the guest's bank sent a refund back) and refunds
    what is left again from a desk — or, half the time, pays the guest by bank transfer
    and records it (Money given back…: ``give_back_deposit``)."""
    desk = desks[0]
    assert desk.desk is not None
    manager = _manager(desk)
    said = []
    for b in _bookings(desk, set(S)):
        if b["deposit_state"] != "refund_failed":
            continue
        try:
            if rng.random() < 0.5:
                offer = desk.desk.giving_back.offer(manager, b["id"])
                pence, transfer = offer.suggested_pence, PaymentMethod.BANK_TRANSFER
                desk.desk.giving_back.give_back(manager, b["id"], pence, transfer, "by transfer")
                said.append(f"give back {b['reference']} by transfer {pence}p")
                continue
            most = desk.desk.deposit_actions.refund_offer(manager, b["id"]).most_pence
            desk.desk.deposit_actions.refund(manager, b["id"], most, "sent back: again")
        except DomainError as refused:
            said.append(f"refund {b['reference']} again refused: {str(refused)[:50]}")
            continue
        said.append(f"refund {b['reference']} again {most}p")
    desk.record_saved()
    return said


def cancel(rng: random.Random, desk: SimDesk) -> str:
    assert desk.desk is not None
    b = _pick(rng, desk, {S.PENDING, S.CONFIRMED})
    if b is None:
        return "cancel: nothing to cancel"
    staff = _staff(rng, desk)
    desk.desk.lifecycle.cancel(staff, b["id"], "guest called")
    if rng.random() < 0.35:  # the wrong booking: taken back at once
        return desk.desk.lifecycle.undo_cancel(staff, b["id"]).message
    return f"cancel {b['reference']}"


def undo(rng: random.Random, desk: SimDesk) -> str:
    """Staff take back the latest cancel (``undo_cancel``): the desk offers it for its own
    cancels of the last few minutes, and the server only while nothing changed since."""
    assert desk.desk is not None
    cancelled = _bookings(desk, {S.CANCELLED})
    if not cancelled:
        return "undo: nothing cancelled"
    b = max(cancelled, key=lambda row: row["updated_at"])
    return desk.desk.lifecycle.undo_cancel(_staff(rng, desk), b["id"]).message


def resolve(rng: random.Random, desk: SimDesk) -> str:
    assert desk.store is not None
    inbox = ConflictInbox(desk.store, desk.clock)
    open_ids = sorted(inbox.open_ids())
    if not open_ids:
        return "resolve: no conflict"
    conflict_id = rng.choice(open_ids)
    with desk.store.read() as reader:
        from app.models.sync_tables import SyncConflictRow

        allowed = list(reader.session.get(SyncConflictRow, conflict_id).allowed)  # type: ignore[union-attr]
    staff = _staff(rng, desk)
    choices = [Resolution(a) for a in allowed if staff.role is Role.MANAGER or a != "keep_both"]
    resolution = rng.choice(choices)
    tables = (_table(rng),) if resolution is Resolution.MOVE else ()
    inbox.resolve(staff, conflict_id, resolution, table_ids=tables)
    return f"resolve {conflict_id[:8]} {resolution.value}"


def prices(rng: random.Random, desk: SimDesk) -> str:
    """A manager sets new prices: a deposit a head from a party size (small enough, now and
    then, that tonight's parties owe one), and the Prosecco package's price."""
    assert desk.desk is not None
    manager = _manager(desk)
    terms = policy_terms(desk.desk.prices.in_force())
    tiers = [{"min_party": rng.choice((3, 4, 8)), "pence": rng.choice((1000, 1500))}]
    prosecco = rng.choice((2000, 2500, 3000))
    sold = [p | {"pence": prosecco} if p["id"] == "prosecco" else p for p in terms["packages"]]
    done = desk.desk.prices.set(
        manager, terms | {"tiers": tiers, "busy_tiers": tiers, "packages": sold}
    )
    return f"prices version {done.policy.version}"


def deposits_tonight(desk: SimDesk) -> str:
    """A manager asks a deposit of every party of two or more before the doors open, so
    tonight's bookings owe one (a link sent, paid at the bar, waived, answered by text)."""
    assert desk.desk is not None
    terms = policy_terms(desk.desk.prices.in_force())
    tiers = [{"min_party": 2, "pence": 1000}]
    done = desk.desk.prices.set(_manager(desk), terms | {"tiers": tiers, "busy_tiers": tiers})
    return f"prices version {done.policy.version}: £10 a head from two"


def waitlist(rng: random.Random, desk: SimDesk) -> str:
    return wait(rng, desk, _staff(rng, desk), TIMES)


def offer(rng: random.Random, desk: SimDesk) -> str:
    return answer(rng, desk, _staff(rng, desk))


def free_table(rng: random.Random, desk: SimDesk) -> str:
    return free(rng, desk, _staff(rng, desk), _bookings(desk, {S.PENDING, S.CONFIRMED, S.SEATED}))


ACTIONS: tuple[tuple[Callable[[random.Random, SimDesk], str], int], ...] = (
    (create, 30),
    (book_anywhere, 8),
    (promote, 4),
    (move_table, 3),
    (walk_in, 6),
    (move, 14),
    (edit, 10),
    (seat, 10),
    (spend, 4),
    (deposit, 20),
    (link, 30),
    (refund, 10),
    (cancel, 10),
    (undo, 8),
    (resolve, 16),
    (prices, 6),
    (join, 8),
    (resize, 3),
    (guest, 4),
    (area, 6),
    (waitlist, 12),
    (offer, 10),
    (free_table, 10),
)


def staff_action(rng: random.Random, desk: SimDesk) -> str:
    assert desk.store is not None
    waiting = ConflictInbox(desk.store, desk.clock).open_ids()
    if waiting and rng.random() < 0.4:
        action: Callable[[random.Random, SimDesk], str] = resolve
    else:
        action = rng.choices([a for a, _ in ACTIONS], weights=[w for _, w in ACTIONS])[0]
    try:
        words = action(rng, desk)
        if not words:
            others = [(a, w) for a, w in ACTIONS if a is not action]
            action = rng.choices([a for a, _ in others], weights=[w for _, w in others])[0]
            words = action(rng, desk)
    except DomainError as refused:
        return f"{action.__name__} refused on the desk: {str(refused)[:60]}"
    desk.record_saved()
    return words
