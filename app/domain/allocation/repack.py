"""Turning tonight's bookings into packing jobs, and a packing back into moves."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from app.domain.allocation.index import AvailabilityIndex, Placed
from app.domain.allocation.moves import Move
from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job
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
    """Send moved bookings back to their own tables wherever the packing leaves room."""
    result = dict(assignment)
    by_key = {j.key: j for j in jobs if j.key in result}
    masks = {k: (((1 << (j.end - j.first)) - 1) << max(j.first, 0)) for k, j in by_key.items()}
    busy = list(fixed)
    for key, option in result.items():
        for p in option.tables:
            busy[p] |= masks[key]
    changed = True
    while changed:
        changed = False
        for key, job in by_key.items():
            here = result[key]
            if job.current is None or here.tables == job.current.tables:
                continue
            mask = masks[key]
            for p in here.tables:
                busy[p] &= ~mask
            if all(not busy[p] & mask for p in job.current.tables):
                result[key] = job.current
                changed = True
            for p in result[key].tables:
                busy[p] |= mask
    return result


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
