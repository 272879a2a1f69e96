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
from app.domain.deposit_modes import capture_before
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.messages.causes import Event
from server.messages.tell import Deposit, tell_now
from server.payments.expiry import release
from server.payments.gateway import Checkout, SessionState
from server.payments.models import DepositRequest
from server.payments.short import short_link
from server.sync import store
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import NO_KEY_UPDATE, Booking
from server.versioning import bump_version

# The ledger entry of a paid link is named by its session: written once, whoever applies it.
_LEDGER_IDS = uuid.UUID("5f1d7a52-7d52-4c1e-9a0e-2f0f4b1f6a11")
ONLINE = "Paid online (Stripe)"
ONLINE_HOLD = "Held online (Stripe)"
# What changed a booking when Stripe took or secured its deposit (for its messages).
PAID = "deposit_settled_online"


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
    session: Session,
    request: DepositRequest,
    checkout: Checkout,
    now: datetime,
    public_url: str = "",
    *,
    tell: bool = True,
) -> bool:
    """Bring ``request`` (locked) and its booking up to ``checkout``; True if anything changed.

    Runs inside the caller's transaction and takes the venue's next version last.
    ``tell=False``: the guest is not told again (a payment taken back after a restore,
    server.payments.found, was told when it was made).
    """
    changed: list[object] = []
    if request.session_id is None:
        request.session_id = checkout.id
        changed.append(request)
    link_made = request.url is None and checkout.url is not None
    if link_made:
        request.url = checkout.url
        changed.append(request)
    status = RequestStatus(request.status)
    if checkout.state is SessionState.PAID and status is not RequestStatus.PAID:
        changed += _paid(session, request, checkout, now, tell)
    elif checkout.state in SECURED and status not in FINAL:
        changed += _secured(session, request, checkout, now, tell)
    elif checkout.state is SessionState.EXPIRED and status not in FINAL:
        request.status = RequestStatus.EXPIRED.value
        changed += [request, *_booking_lapsed(session, request, now)]
        changed += release(session, request, now)
    elif checkout.state is SessionState.OPEN and status is RequestStatus.REQUESTED:
        request.status = RequestStatus.OPEN.value
        changed.append(request)
    if not changed:
        return False
    if link_made and RequestStatus(request.status) not in FINAL:
        send_link(session, request, Event.LINK_MADE, str(request.id), now, public_url)
    stamp(session, request.venue_id, now, changed)
    return True


def send_link(
    session: Session,
    request: DepositRequest,
    why: Event,
    cause: str,
    now: datetime,
    public_url: str = "",
) -> list[uuid.UUID]:
    """The guest is sent ``request``'s live link (``why``: made, or sent again); its SMS
    carries the short address when ``public_url`` makes one short enough."""
    booking = store.booking(_booking(session, request))
    return tell_now(
        session,
        intent=why,
        cause=cause,
        before=booking,
        after=booking,
        now=now,
        deposit=Deposit(
            link=request.url,
            short_link=short_link(public_url, request.short_token),
            deadline=request.expires_at,
        ),
    )


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
    session: Session, request: DepositRequest, checkout: Checkout, now: datetime, tell: bool
) -> list[object]:
    request.status = RequestStatus.PAID.value
    request.problem = None
    # The PaymentIntent the link made, as a hold's request keeps its own (a refund finds
    # it in the ledger entry below either way).
    request.provider_ref = checkout.payment_ref or request.provider_ref
    request.card_last4 = checkout.card_last4 or request.card_last4
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
        if tell:
            tell_now(session, intent=PAID, cause=checkout.id, before=before, after=after, now=now)
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


SECURED = {SessionState.HELD: RequestStatus.HELD, SessionState.CARD_SAVED: RequestStatus.CARD_SAVED}


def _secured(
    session: Session, request: DepositRequest, checkout: Checkout, now: datetime, tell: bool
) -> list[object]:
    """A hold authorised, or a card saved: the deposit is secured, not taken."""
    hold = checkout.state is SessionState.HELD
    request.status = SECURED[checkout.state].value
    request.provider_ref = checkout.payment_ref
    request.customer_ref = checkout.customer_ref
    request.payment_method_ref = checkout.payment_method_ref
    request.card_last4 = checkout.card_last4
    request.capture_before = capture_before(now) if hold else None
    request.problem = None
    changed: list[object] = [request]
    row = _booking(session, request)
    before = store.booking(row)
    try:
        if hold:
            after = kernel.held(
                before, amount_pence=checkout.amount_pence, currency=checkout.currency, at=now
            )
        else:
            after = kernel.card_saved(before, at=now)
    except DomainError as refused:
        what = "held on the guest's card" if hold else "secured by a saved card"
        request.problem = (
            f"{format_pence(request.amount_pence)} was {what}, but {refused} "
            "Nothing will be taken from it."
        )
    else:
        store.write_booking(row, after)
        changed.append(row)
        if tell:
            tell_now(session, intent=PAID, cause=checkout.id, before=before, after=after, now=now)
    if hold:
        changed += ledger_entry(
            session,
            request,
            f"hold:{checkout.id}",
            LedgerKind.HOLD,
            checkout.amount_pence,
            f"Held on card ending {checkout.card_last4 or '····'}",
            checkout.payment_ref or checkout.id,
            now,
        )
    return changed


def ledger_entry(
    session: Session,
    request: DepositRequest,
    name: str,
    kind: LedgerKind,
    amount_pence: int,
    note: str,
    provider_ref: str,
    now: datetime,
) -> list[object]:
    """The ledger entry named ``name``, written once whoever applies it."""
    entry_id = uuid.uuid5(_LEDGER_IDS, name)
    if session.get(DepositLedgerEntry, entry_id) is not None:
        return []
    entry = DepositLedgerEntry(
        id=entry_id,
        venue_id=request.venue_id,
        booking_id=request.booking_id,
        kind=kind.value,
        amount_pence=amount_pence,
        currency=request.currency,
        method=None,
        note=note,
        staff_id=request.staff_id,
        staff_name=request.requested_by if kind is not LedgerKind.HOLD else ONLINE_HOLD,
        device_id=None,
        recorded_at=now,
        provider_ref=provider_ref,
    )
    session.add(entry)
    return [entry]


def _booking_lapsed(session: Session, request: DepositRequest, now: datetime) -> list[object]:
    row = _booking(session, request)
    before = store.booking(row)
    after = kernel.lapsed(before, at=now)
    if after == before:
        return []
    store.write_booking(row, after)
    return [row]


def _booking(session: Session, request: DepositRequest) -> Booking:
    return locked_booking(session, request.booking_id)


def locked_booking(session: Session, booking_id: uuid.UUID) -> Booking:
    row = session.get(Booking, booking_id, with_for_update=NO_KEY_UPDATE, populate_existing=True)
    assert row is not None, "a deposit request's booking is never deleted"
    return row
