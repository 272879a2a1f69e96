"""Turning tonight's bookings into packing jobs, and a packing back into moves."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from app.domain.allocation.index import AvailabilityIndex, Placed
from app.domain.allocation.moves import Move
from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job, job_mask
from app.domain.allocation.symmetry import Symmetry, symmetry_of
from app.domain.booking import Booking, BookingStatus

VipOf = Callable[[Booking], bool]


def never_vip(_: Booking) -> bool:
    return False


@dataclass(slots=True)
class Night:
    """The fixed load (seated parties, holds) and the bookings that may move."""

    fixed: list[int]
    jobs: list[Job]
    placed: dict[str, Placed]


def night_of(
    index: AvailabilityIndex,
    vip_of: VipOf,
    exclude: str | None = None,
    may_move: Callable[[Placed], bool] | None = None,
) -> Night:
    fixed = [0] * len(index.busy)
    for positions, mask in index.holds.values():
        for p in positions:
            fixed[p] |= mask
    jobs: list[Job] = []
    placed: dict[str, Placed] = {}
    for bid, item in index.placed.items():
        if bid == exclude:
            continue
        seated = item.booking.status is BookingStatus.SEATED
        if seated or (may_move is not None and not may_move(item)):
            for p in item.option.tables:
                fixed[p] |= item.mask
            continue
        placed[bid] = item
        jobs.append(job_for(index, item, vip_of(item.booking)))
    return Night(fixed, jobs, placed)


def job_for(index: AvailabilityIndex, item: Placed, vip: bool) -> Job:
    current = item.option
    usual = index.catalogue.options(item.booking.party_size, vip)
    others = tuple(o for o in usual if o.tables != current.tables)
    return Job(
        item.booking.id,
        item.first,
        item.end,
        (current, *others),
        current,
        item.booking.party_size,
        odd=len(others) == len(usual),
    )


def symmetry_for(index: AvailabilityIndex, jobs: Iterable[Job]) -> Symmetry:
    """The floor's interchangeable tables, less those a booking holds by hand."""
    apart = {p for job in jobs if job.odd and job.current for p in job.current.tables}
    if not apart:
        return index.symmetry
    return symmetry_of(index.catalogue, apart)


def table_keys(index: AvailabilityIndex, jobs: Iterable[Job]) -> list[Hashable | None]:
    """Interchangeable tables share a key; combinable or oddly-used ones are unique."""
    catalogue = index.catalogue
    unique = set(catalogue.position[t] for t in catalogue.plan.combinable_table_ids())
    for job in jobs:
        if job.odd and job.current is not None:
            unique.update(job.current.tables)
    keys: list[Hashable | None] = []
    for p, table in enumerate(catalogue.tables):
        if p in unique or not table.active:
            keys.append(None)
        else:
            keys.append((table.min_covers, table.max_covers, catalogue.vip_table[p]))
    return keys


def keep_in_place(
    assignment: dict[str, Option], jobs: Iterable[Job], fixed: list[int]
) -> dict[str, Option]:
    """Fewer moves for the same plan: each moved booking goes back to its own tables when
    they are free, or when the parties in its way can take its new tables instead and
    that leaves fewer bookings moved (a swap, or one step of undoing a cycle of moves).
    Repeated until nothing changes."""
    result = dict(assignment)
    by_key = {j.key: j for j in jobs if j.key in result}
    masks = {k: job_mask(j) for k, j in by_key.items()}
    busy = list(fixed)
    on: list[set[str]] = [set() for _ in fixed]
    for key, option in result.items():
        for p in option.tables:
            busy[p] |= masks.get(key, 0)
            on[p].add(key)

    def moved(key: str, option: Option) -> int:
        home = by_key[key].current
        return int(home is not None and option.tables != home.tables)

    def take(key: str) -> None:
        for p in result[key].tables:
            on[p].discard(key)
            busy[p] = _mask_of(on[p], masks, fixed[p])

    def put(key: str, option: Option) -> None:
        result[key] = option
        for p in option.tables:
            on[p].add(key)
            busy[p] |= masks[key]

    changed = True
    while changed:
        changed = False
        for key, job in by_key.items():
            home, here = job.current, result[key]
            if home is None or here.tables == home.tables:
                continue
            mask = masks[key]
            way = {k for p in home.tables for k in on[p] if k != key and masks.get(k, 0) & mask}
            if not way <= by_key.keys() or (way and set(home.tables) & set(here.tables)):
                continue
            if any(here.tables not in {o.tables for o in by_key[k].options} for k in way):
                continue
            gain = 1 + sum(moved(k, result[k]) - moved(k, here) for k in way)
            if gain <= 0:
                continue
            for k in (key, *way):
                take(k)
            if all(not busy[p] & mask for p in home.tables) and _fit(way, here, masks, busy):
                put(key, home)
                for k in way:
                    put(k, here)
                changed = True
            else:
                put(key, here)
                for k in way:
                    put(k, result[k])
    return result


def _mask_of(keys: Iterable[str], masks: dict[str, int], fixed: int) -> int:
    mask = fixed
    for k in keys:
        mask |= masks.get(k, 0)
    return mask


def _fit(keys: Iterable[str], option: Option, masks: dict[str, int], busy: list[int]) -> bool:
    """Whether the parties can all sit at ``option`` together (none overlapping)."""
    used = 0
    for k in keys:
        if used & masks[k]:
            return False
        used |= masks[k]
    return all(not busy[p] & used for p in option.tables)


def moves_between(
    assignment: Mapping[str, Option], placed: Mapping[str, Placed]
) -> tuple[Move, ...]:
    moves: list[Move] = []
    for bid, option in assignment.items():
        item = placed.get(bid)
        if item is None or option.tables == item.option.tables:
            continue
        b = item.booking
        moves.append(
            Move(
                bid,
                b.customer_id,
                b.party_size,
                item.option.table_ids,
                option.table_ids,
                option.seating.combined,
            )
        )
    moves.sort(key=lambda m: (placed[m.booking_id].first, m.booking_id))
    return tuple(moves)
