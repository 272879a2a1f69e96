"""Random nights of the waitlist: one offer per freed table, one per guest, never nobody.

The oracle is the test's own: who fits a freed table (``fits``), who goes first
(``ahead_of``), and which offers are open, followed from the events alone.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.waitlist import (
    Entry,
    EventKind,
    FreedTable,
    OfferNotOpen,
    Waitlist,
    WaitlistEvent,
)

START = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
HOLD = timedelta(minutes=10)

add = st.tuples(
    st.just("add"),
    st.integers(1, 8),  # party
    st.integers(0, 10).map(lambda k: 100 * k),  # priority, often tied
    st.sampled_from([False, False, True]),  # VIP guest
    st.sampled_from([60, 90, 120, 180]),  # minutes at the table
    st.one_of(st.none(), st.integers(0, 240)),  # wants to sit in (minutes), or now
)
free = st.tuples(
    st.just("free"),
    st.integers(1, 4),  # smallest party
    st.integers(0, 6),  # largest party minus smallest
    st.sampled_from([False, False, True]),  # VIP only
    st.sampled_from([0, 0, 30, 60]),  # free in (minutes)
    st.one_of(st.none(), st.integers(30, 300)),  # free for (minutes), or all night
)
ops = st.lists(
    st.one_of(
        add,
        free,
        free,
        st.tuples(st.just("accept"), st.integers(0, 30)),
        st.tuples(st.just("decline"), st.integers(0, 30)),
        st.tuples(st.just("leave"), st.integers(0, 30)),
        st.tuples(st.just("wait"), st.integers(1, 15)),
    ),
    max_size=60,
)


def guest(booking_id: str, op: tuple, joined: datetime, now: datetime) -> Entry:
    _, party, priority, vip, minutes, wants_in = op
    wants = None if wants_in is None else now + timedelta(minutes=wants_in)
    return Entry(booking_id, party, minutes, priority, joined, vip, wants)


def fits(entry: Entry, freed: FreedTable, now: datetime) -> bool:
    """The guest may be offered the table: a VIP table only to a VIP, the party within
    the table's covers, and the table free for the whole visit from when they can sit."""
    if freed.vip and not entry.vip:
        return False
    if not freed.min_party <= entry.party_size <= freed.max_party:
        return False
    if freed.until is None:
        return True
    sits = max([now, freed.start] + ([entry.start] if entry.start else []))
    return sits + timedelta(minutes=entry.duration_minutes) <= freed.until


def ahead_of(a: Entry, b: Entry) -> bool:
    """``a`` is offered a table before ``b``: higher priority, or equal and waiting longer."""
    return (-a.priority, a.waitlisted_at) < (-b.priority, b.waitlisted_at)


class Night:
    """What the events said: freed tables still wanted, open offers, passed-on pairs."""

    def __init__(self) -> None:
        self.freed: dict[str, FreedTable] = {}
        self.offers: dict[str, str] = {}  # freed table id -> guest holding it
        self.passed: set[tuple[str, str]] = set()

    def follow(self, e: WaitlistEvent) -> None:
        if e.kind is EventKind.OFFERED:
            assert e.freed.id not in self.offers, "a table offered twice at once"
            assert e.booking_id not in self.offers.values(), "a guest holding two offers"
            self.offers[e.freed.id] = e.booking_id
        elif e.kind in (EventKind.ACCEPTED, EventKind.DECLINED, EventKind.EXPIRED):
            assert self.offers.pop(e.freed.id) == e.booking_id
            if e.kind is EventKind.ACCEPTED:
                del self.freed[e.freed.id]
            else:
                self.passed.add((e.freed.id, e.booking_id))
        elif e.kind is EventKind.WITHDRAWN:
            assert self.offers.pop(e.freed.id) == e.booking_id

    def could_take(self, entry: Entry, freed: FreedTable, now: datetime) -> bool:
        """Nothing but a fit stands between this guest and this table."""
        free_guest = entry.booking_id not in self.offers.values()
        return (
            free_guest
            and (freed.id, entry.booking_id) not in self.passed
            and fits(entry, freed, now)
        )


def check(waitlist: Waitlist, night: Night, now: datetime) -> None:
    listed = {e.booking_id: e for e in waitlist.entries}
    assert {o.freed.id: o.booking_id for o in waitlist.offers} == night.offers
    for offer in waitlist.offers:
        assert offer.booking_id in listed
        assert offer.expires_at == offer.offered_at + HOLD
    for freed in night.freed.values():
        if freed.id not in night.offers:
            fitting = [e.booking_id for e in listed.values() if night.could_take(e, freed, now)]
            assert fitting == [], f"{freed.id} left unoffered while {fitting} fit it"


def check_offer(e: WaitlistEvent, entries: dict[str, Entry], night: Night, now: datetime) -> None:
    """The offer went to a guest who fits, with nobody ahead of them who could take it."""
    chosen = entries[e.booking_id]
    assert fits(chosen, e.freed, now), f"{chosen} offered {e.freed}, which it does not fit"
    skipped = [
        other.booking_id
        for other in entries.values()
        if ahead_of(other, chosen) and night.could_take(other, e.freed, now)
    ]
    assert skipped == [], f"{skipped} were passed over for {chosen.booking_id}"


@given(waiting=st.lists(add, max_size=8), ops=ops)
# Rare at random: a guest who declines one table is offered another that nobody else fits.
@example(
    waiting=[("add", 2, 500, False, 90, None)],
    ops=[("free", 1, 3, False, 0, None), ("free", 2, 0, False, 0, None), ("decline", 0)],
)
def test_the_waitlist_offers_one_guest_per_freed_table_and_never_strands_a_table(waiting, ops):
    waitlist = Waitlist()
    night = Night()
    now = START
    for n, op in enumerate([*waiting, *ops]):
        kind = op[0]
        entries = {e.booking_id: e for e in waitlist.entries}
        if kind == "add":
            # The guests waiting at the start joined five minutes apart.
            early = n < len(waiting)
            joined = START - timedelta(minutes=5 * (len(waiting) - n)) if early else now
            new = guest(f"g{n}", op, joined, now)
            entries[new.booking_id] = new
            waitlist, events = waitlist.add(new, now)
        elif kind == "free":
            _, low, spread, vip, free_in, free_for = op
            start = now + timedelta(minutes=free_in)
            until = None if free_for is None else start + timedelta(minutes=free_for)
            freed = FreedTable(f"f{n}", (f"table-{n}",), low, low + spread, start, until, vip)
            night.freed[freed.id] = freed
            waitlist, events = waitlist.table_freed(freed, now)
            assert [e.kind for e in events] in ([EventKind.OFFERED], [EventKind.UNCLAIMED])
        elif kind == "wait":
            now += timedelta(minutes=op[1])
            waitlist, events = waitlist.tick(now)
        else:
            holders = sorted(night.offers.values()) if kind != "leave" else []
            ids = holders or sorted(entries)
            if not ids:
                continue
            who = ids[op[1] % len(ids)]
            try:
                if kind == "accept":
                    waitlist, events = waitlist.accept(who, now)
                elif kind == "decline":
                    waitlist, events = waitlist.decline(who, now)
                else:
                    waitlist, events = waitlist.remove(who, now)
            except OfferNotOpen:
                assert who not in night.offers.values()
                continue
        if kind == "leave":
            del entries[who]
        # In order: an offer is judged on what the night knew when it was made.
        for event in events:
            if event.kind is EventKind.OFFERED:
                check_offer(event, entries, night, now)
            night.follow(event)
        check(waitlist, night, now)
