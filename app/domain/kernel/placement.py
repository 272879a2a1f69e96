"""Who keeps a table when two bookings want it at once (what the server's lock decides).

The first booking on a table stands; a later one is not put on it. Except that
what physically happened is never refused: a party seated (even offline) wins
over reservations, which are flagged to move — unless another seated party is
there too. Staff may also overrule (keep mine) the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.booking import Booking, BookingStatus

S = BookingStatus


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a booking that wants its tables ends up."""

    # It takes its tables.
    holds: bool
    # Reservations moved aside into conflict, because this booking wins.
    flagged: tuple[Booking, ...] = ()
    # The booking in its way, when it does not take its tables.
    blocked_by: Booking | None = None


def placed(b: Booking, in_the_way: Sequence[Booking], *, overrule: bool = False) -> Placement:
    """``in_the_way``: other bookings holding any of ``b``'s tables during its stay."""
    if not b.holds_tables:
        return Placement(holds=False)
    if not in_the_way:
        return Placement(holds=True)
    wins = overrule or b.status is S.SEATED
    if wins and not any(o.status is S.SEATED for o in in_the_way):
        return Placement(holds=True, flagged=tuple(in_the_way))
    return Placement(holds=False, blocked_by=in_the_way[0])


def share_a_table(bookings: Sequence[Booking]) -> bool:
    """Whether two of ``bookings`` would hold one table at the same time."""
    return any(
        set(a.table_ids) & set(b.table_ids) and a.overlaps(b.start, b.end)
        for n, a in enumerate(bookings)
        for b in bookings[n + 1 :]
        if a.holds_tables and b.holds_tables
    )


def flagged_to_move(b: Booking, at: datetime) -> Booking:
    """A reservation a seated party took the table from: in conflict, holding nothing."""
    return replace(b.moved_to(S.CONFLICT, at), combined=b.combined)


def kept_in_conflict(new: Booking) -> Booking:
    """A new booking kept although its tables were taken: created in conflict, so it
    holds none until staff move it; its tables stay on it for the record."""
    return replace(new, status=S.CONFLICT)
