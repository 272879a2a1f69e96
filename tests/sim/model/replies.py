"""A guest's answer by text, as the model judges it: not an intent, but a change the
server makes itself (docs/messages.md, "Replies"; docs/waitlist.md).

``accept_offer``: a "1" to a waitlist offer.

The server seats the guest on the offer's tables at the offer's time, as a desk's
promotion does: the party moved to that time (the venue must be open then), then put on
the tables, confirmed, or pending while its deposit is owed — and only if the tables
seat the party and no booking holds them then. Whether the offer was still open and the
desk still held its tables is the server's to know (holds are not modelled).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tests.sim.model import rules
from tests.sim.model.rows import CANCELLED, CONFIRMED, PENDING, WAITLISTED, Stamp
from tests.sim.model.state import Failure, State, Verdict, Writes


def accept_offer(
    state: State, booking_id: str, table_ids: Sequence[str], start: datetime, at: Stamp
) -> Verdict:
    """What the server may do with the guest's "1": "applied" with the booking's new row,
    or "rejected" with why it may not."""
    b = state.bookings.get(booking_id)
    if b is None:
        return Verdict("rejected", (("unknown_booking",),))
    if b.status != WAITLISTED:
        return Verdict("rejected", (("not_waitlisted", b.status),))
    try:
        moved = b
        if start != b.start:
            moved = rules.move(state.plan, state.venue, b, [], start, b.duration_minutes, at)
        status = CONFIRMED if moved.settled else PENDING
        after = rules.set_status(state.plan, moved, status, at, list(table_ids), venue=state.venue)
    except Failure as failed:
        return Verdict("rejected", failed.reasons or ((failed.kind,),))
    if not state.plan.seats(after.table_ids, after.party_size):
        return Verdict("rejected", (("unseatable",),))
    taken = state.holding(after)
    if taken:
        return Verdict("rejected", (("taken", taken[0].reference),))
    return Verdict("applied", writes=Writes(bookings={after.id: after}))


# A deposit taken or secured (at the bar or through the link): such a booking is cancelled
# at the desk, where the venue's refund policy applies, never by a text.
_TAKEN = frozenset({"paid", "held", "card_saved"})


def answered(state: State, booking_id: str, cancel: bool, at: Stamp) -> Verdict:
    """A guest's "1" (coming: a pending booking confirmed, if its deposit allows) or "9"
    (cancel) to what they were texted about their booking, as the server may do it."""
    b = state.bookings.get(booking_id)
    if b is None:
        return Verdict("rejected", (("unknown_booking",),))
    if b.status not in (PENDING, CONFIRMED):
        return Verdict("rejected", (("not_answerable", b.status),))
    if cancel and b.deposit_state in _TAKEN:
        return Verdict("rejected", (("deposit_taken", b.deposit_state),))
    try:
        after = rules.set_status(
            state.plan, b, CANCELLED if cancel else CONFIRMED, at, venue=state.venue
        )
    except Failure as failed:
        return Verdict("rejected", failed.reasons or ((failed.kind,),))
    if after == b:
        return Verdict("rejected", (("unchanged",),))
    return Verdict("applied", writes=Writes(bookings={after.id: after}))
