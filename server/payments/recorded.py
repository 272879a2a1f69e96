"""What Stripe having made a claim, release or refund does here: one function for the
manager's request carried out (server.payments.actions) and for one a restored database
had lost, found again at Stripe (server.payments.moved)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.domain import kernel
from app.domain.booking import Booking
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposits import format_pence
from app.domain.messages.causes import Event
from server.messages.tell import Deposit, tell_now
from server.payments.gateway import Moved
from server.payments.models import DepositRequest
from server.payments.settle import ledger_entry, locked_booking
from server.sync import store


def record_moved(
    session: Session, r: DepositRequest, moved: Moved, now: datetime, *, tell: bool = True
) -> list[object]:
    """Stripe did what ``r`` asked: the request done, the booking's deposit claimed,
    released or refunded, the ledger entry written (named by the request: once), and a
    refund's guest told unless ``tell`` is off. Returns the rows changed, to stamp."""
    r.status, r.provider_ref = RequestStatus.DONE.value, moved.ref
    row = locked_booking(session, r.booking_id)
    before = store.booking(row)
    action = ActionKind(r.kind)
    after, kind, amount, note = _outcome(action, before, r, moved, now)
    store.write_booking(row, after)
    if action is ActionKind.REFUND and tell:
        refund = Deposit(refund_pence=amount)
        tell_now(
            session, intent=Event.REFUNDED, cause=moved.ref, before=before, after=after,
            now=now, deposit=refund,
        )  # fmt: skip
    entry = ledger_entry(session, r, f"{r.kind}:{r.id}", kind, amount, note, moved.ref, now)
    return [r, row, *entry]


def _outcome(
    action: ActionKind, before: Booking, r: DepositRequest, moved: Moved, now: datetime
) -> tuple[Booking, LedgerKind, int, str]:
    """The booking after Stripe did ``action``, and the ledger row that records it."""
    match action:
        case ActionKind.CLAIM:
            claimed = format_pence(moved.amount_pence)
            return (
                kernel.claimed(before, at=now),
                LedgerKind.CAPTURE,
                moved.amount_pence,
                (f"Claimed ({claimed})"),
            )
        case ActionKind.RELEASE:
            return (
                kernel.released(before, at=now),
                LedgerKind.RELEASE,
                r.amount_pence,
                (r.reason or "Hold released"),
            )
        case _:
            return (
                kernel.refunded(before, at=now),
                LedgerKind.REFUND,
                moved.amount_pence,
                (f"Refunded: {r.reason or 'no reason given'}"),
            )
