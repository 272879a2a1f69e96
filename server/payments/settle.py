"""What the provider's word about a link does here: one function for webhook, link
writer and reconciliation, so that any order of them converges to Stripe's state.

A request only moves forward: requested → open → paid | expired (or failed, when the
link could not be made). Money that Stripe took is always written to the ledger, even
when the booking can no longer take it (paid at the bar meanwhile, cancelled): then
the request says so in ``problem``, for a manager to refund; nothing is lost.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import kernel
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import FINAL, RequestStatus
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from server.payments.expiry import release
from server.payments.gateway import Checkout, SessionState
from server.payments.models import DepositRequest
from server.sync import store
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import Booking
from server.versioning import bump_version

# The ledger entry of a paid link is named by its session: written once, whoever applies it.
_LEDGER_IDS = uuid.UUID("5f1d7a52-7d52-4c1e-9a0e-2f0f4b1f6a11")
ONLINE = "Paid online (Stripe)"


def locked_request(session: Session, request_id: uuid.UUID) -> DepositRequest | None:
    return session.get(DepositRequest, request_id, with_for_update=True, populate_existing=True)


def request_for(session: Session, checkout: Checkout) -> DepositRequest | None:
    """The request a session belongs to: by the id it carries, else by the session id."""
    carried = checkout.metadata.get("request_id")
    if carried:
        try:
            return locked_request(session, uuid.UUID(carried))
        except ValueError:
            return None
    found = session.scalar(
        select(DepositRequest.id).where(DepositRequest.session_id == checkout.id)
    )
    return None if found is None else locked_request(session, found)


def apply_checkout(
    session: Session, request: DepositRequest, checkout: Checkout, now: datetime
) -> bool:
    """Bring ``request`` (locked) and its booking up to ``checkout``; True if anything changed.

    Runs inside the caller's transaction and takes the venue's next version last.
    """
    changed: list[object] = []
    if request.session_id is None:
        request.session_id = checkout.id
        changed.append(request)
    if request.url is None and checkout.url is not None:
        request.url = checkout.url
        changed.append(request)
    status = RequestStatus(request.status)
    if checkout.state is SessionState.PAID and status is not RequestStatus.PAID:
        changed += _paid(session, request, checkout, now)
    elif checkout.state is SessionState.EXPIRED and status not in FINAL:
        request.status = RequestStatus.EXPIRED.value
        changed += [request, *_booking_lapsed(session, request, now)]
        changed += release(session, request, now)
    elif checkout.state is SessionState.OPEN and status is RequestStatus.REQUESTED:
        request.status = RequestStatus.OPEN.value
        changed.append(request)
    if not changed:
        return False
    stamp(session, request.venue_id, now, changed)
    return True


def failed(session: Session, request: DepositRequest, why: str, now: datetime) -> None:
    """The provider refused to make the link: the deposit is owed again, and the desk says why."""
    request.status = RequestStatus.FAILED.value
    request.problem = f"The payment link could not be made: {why}"
    stamp(session, request.venue_id, now, [request, *_booking_lapsed(session, request, now)])


def stamp(session: Session, venue_id: uuid.UUID, now: datetime, rows: list[object]) -> None:
    """Every changed row takes the venue's next version (taken last: its lock orders commits)."""
    session.flush()
    version = bump_version(session, venue_id)
    for row in {id(r): r for r in rows}.values():
        row.version = version  # type: ignore[attr-defined]
        row.updated_at = now  # type: ignore[attr-defined]


def _paid(
    session: Session, request: DepositRequest, checkout: Checkout, now: datetime
) -> list[object]:
    request.status = RequestStatus.PAID.value
    request.problem = None
    changed: list[object] = [request]
    row = _booking(session, request)
    before = store.booking(row)
    try:
        after = kernel.paid(
            before, amount_pence=checkout.amount_pence, currency=checkout.currency, at=now
        )
    except DomainError as refused:
        request.problem = (
            f"{format_pence(checkout.amount_pence)} was paid online, but {refused} "
            "A manager should refund the guest."
        )
    else:
        store.write_booking(row, after)
        changed.append(row)
    entry_id = uuid.uuid5(_LEDGER_IDS, checkout.id)
    if session.get(DepositLedgerEntry, entry_id) is None:
        entry = DepositLedgerEntry(
            id=entry_id,
            venue_id=request.venue_id,
            booking_id=request.booking_id,
            kind=LedgerKind.STRIPE_PAYMENT.value,
            amount_pence=checkout.amount_pence,
            currency=checkout.currency,
            method=None,
            note=f"Payment link {checkout.id}",
            staff_id=request.staff_id,
            staff_name=ONLINE,
            device_id=None,
            recorded_at=now,
            provider_ref=checkout.payment_ref or checkout.id,
        )
        session.add(entry)
        changed.append(entry)
    return changed


def _booking_lapsed(session: Session, request: DepositRequest, now: datetime) -> list[object]:
    row = _booking(session, request)
    before = store.booking(row)
    after = kernel.lapsed(before, at=now)
    if after == before:
        return []
    store.write_booking(row, after)
    return [row]


def _booking(session: Session, request: DepositRequest) -> Booking:
    row = session.get(Booking, request.booking_id, with_for_update=True, populate_existing=True)
    assert row is not None, "a deposit request's booking is never deleted"
    return row
