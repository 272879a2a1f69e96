"""The judge of ``undo_cancel``: a cancelled booking put back as it was, or refused.

The server judges an undo whenever it arrives (a desk may have been offline when
staff pressed Undo); the few minutes in which a desk offers it are the desk's
rule. What the server knows that a desk cannot: the version the named cancel
made (its stored outcome, read by ``push._judging``), so "changed since it was
cancelled" is judged against the truth; and its tables, placed under their
locks and the exclusion constraint as a move's are. Taken since, the undo is
refused rather than kept as a conflict: the booking simply stays cancelled.
"""

from __future__ import annotations

from app import protocol as p
from app.domain.references import format_reference
from server.sync import bookings, store
from server.sync.context import APPLIED, Conflicted, IntentContext, Rejected, Verdict


def undo_cancel(ctx: IntentContext, m: p.UndoCancel) -> Verdict:
    row = bookings.load(ctx, m.entity_id)
    before = store.booking(row)
    after = bookings.decide(ctx, before, m.args)
    try:
        bookings.place(ctx, row, before, after)
    except Conflicted as clash:
        raise Rejected(
            f"Booking {format_reference(before.reference)} was not put back: {clash} It "
            "stays cancelled; book the guest again at another table or time."
        ) from None
    return APPLIED
