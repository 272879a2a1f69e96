"""What Stripe having made a claim, release or refund does here: one function for the
manager's request carried out (server.payments.actions) and for one a restored database
had lost, found again at Stripe (server.payments.moved)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain import kernel
from app.domain.audit import SERVER
from app.domain.booking import Booking
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposits import format_pence
from app.domain.messages.causes import Event
from server.messages.tell import Deposit, tell_now
from server.payments.gateway import Moved
from server.payments.models import DepositRequest
from server.payments.settle import ledger_entry, locked_booking, stamp
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


@dataclass(frozen=True, slots=True)
class MadeAtStripe:
    """A claim, refund or release Stripe made that no request of this server's records:
    found after a restore (server.payments.moved), or a hold Stripe let go
    (server.payments.lapsed)."""

    request_id: uuid.UUID
    venue_id: uuid.UUID
    booking_id: uuid.UUID
    kind: ActionKind
    amount_pence: int
    currency: str
    reason: str | None
    by: str
    at: datetime
    ref: str


def record_made(session: Session, made: MadeAtStripe, now: datetime) -> None:
    """Its request written (by the server, as staff), done, and applied as Stripe's answer
    to a manager's would be, without telling the guest: the guest was told, or nothing
    was taken."""
    request = DepositRequest(
        id=made.request_id,
        venue_id=made.venue_id,
        booking_id=made.booking_id,
        amount_pence=made.amount_pence,
        currency=made.currency,
        status=RequestStatus.REQUESTED.value,
        link_minutes=0,
        reason=made.reason,
        requested_by=made.by,
        staff_id=uuid.UUID(SERVER.id),
        requested_at=made.at,
        kind=made.kind.value,
    )
    session.add(request)
    session.flush()
    moved = Moved(made.ref, made.amount_pence)
    stamp(session, made.venue_id, now, record_moved(session, request, moved, now, tell=False))


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
