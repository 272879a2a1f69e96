"""Payment links a restored database lost, found again at Stripe and taken back.

A backup older than the failure loses the deposit requests made since it, but their
Checkout Sessions are still at Stripe, each carrying its request's, booking's and venue's
ids (server.payments.links). Without them a guest who paid before the failure would be
asked to pay again once staff entered the booking again, and a link they pay later
would be ignored as unknown. So ``backroom-server restored`` asks for a listing
(``recovery_wanted``); the reconciliation then lists every session made since shortly
before the restored copy's newest change (``recover``), keeps those this database does
not know (``found_checkouts``), and takes each back once its booking is here — at once
if the copy has it, or once staff have entered it again with its id (``take_back``):
the request is written again under its own id (a live link or a saved card first has
the booking ask for its deposit, as it did then: the kernel's ``requested``), and
Stripe's word is applied by the same ``apply_checkout`` as a webhook's, without telling
the guest a second time. Money that no longer fits the booking (re-priced since) is
written to the ledger all the same, with the problem, for a manager to refund.

A session that expired unpaid moved no money and is not taken back. An open one whose
booking can no longer ask for a link (paid at the bar since, another link out) is
expired at Stripe, so the guest cannot pay twice (docs/payments.md, "After a restore").
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.domain import kernel
from app.domain.audit import SERVER
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import CURRENCY
from app.domain.deposit_links import RequestStatus
from app.domain.deposit_modes import DepositMode
from app.domain.errors import DomainError
from server.payments import moved
from server.payments.gateway import Checkout, GatewayError, SessionState
from server.payments.models import DepositRequest, FoundCheckout, PaymentRecovery
from server.payments.moved import FOUND_BY
from server.payments.settle import apply_checkout, stamp
from server.sync import store
from server.sync.models import NO_KEY_UPDATE, Booking
from server.venues.models import Venue

if TYPE_CHECKING:
    from server.payments.links import Payments  # links calls before_links: no cycle at import

# Sessions live at most a day at Stripe, and clocks differ: list from a day before the
# restored copy's newest change. A venue whose copy has no change at all is listed back
# thirty days (Stripe keeps its sessions far longer).
_MARGIN = timedelta(days=1)
_EMPTY_COPY = timedelta(days=30)
# What a session can be taken back as only onto a booking that asks for its deposit, as it
# did when the link was sent: a live link, and a saved card (kernel.card_saved). Money
# taken or held settles a booking that owes it whatever it asked, and one that cannot
# take it stays as it is, the request naming the problem for a manager.
_ASKED_FIRST = frozenset({SessionState.OPEN, SessionState.CARD_SAVED})


@dataclass
class Recovered:
    found: int = 0
    taken_back: int = 0
    # Open links expired at Stripe: their booking could no longer take them.
    closed: int = 0
    # Claims, refunds and releases the database had lost (server.payments.moved).
    moves_found: int = 0
    moves_taken_back: int = 0
    unreachable: list[str] = field(default_factory=list)


def recovery_wanted(session: Session, now: datetime) -> None:
    """After a restore: Stripe is to be asked, for every venue, for the sessions made
    since shortly before the restored copy's newest change."""
    for venue_id in session.scalars(select(Venue.id)):
        newest = max(
            (
                t
                for t in (_newest(session, Booking, venue_id), _newest_request(session, venue_id))
                if t is not None
            ),
            default=now - _EMPTY_COPY,
        )
        since = newest - _MARGIN
        row = session.get(PaymentRecovery, venue_id, with_for_update=True)
        if row is None:
            session.add(PaymentRecovery(venue_id=venue_id, since=since, restored_at=now))
            continue
        # Not asked yet for an earlier restore: ask back to the older of the two.
        row.since = min(row.since, since) if row.listed_at is None else since
        row.restored_at, row.listed_at = now, None


def _newest(session: Session, table: type[Booking], venue_id: uuid.UUID) -> datetime | None:
    return session.scalar(select(func.max(table.updated_at)).where(table.venue_id == venue_id))


def _newest_request(session: Session, venue_id: uuid.UUID) -> datetime | None:
    return session.scalar(
        select(func.max(DepositRequest.requested_at)).where(DepositRequest.venue_id == venue_id)
    )


def pending(session: Session, venue_ids: Collection[uuid.UUID] | None = None) -> bool:
    """Whether Stripe is still to be asked for a restore's lost links."""
    query = select(PaymentRecovery.venue_id).where(PaymentRecovery.listed_at.is_(None))
    if venue_ids is not None:
        query = query.where(PaymentRecovery.venue_id.in_(venue_ids))
    return session.scalar(query.limit(1)) is not None


def recover(sessions: sessionmaker[Session], payments: Payments) -> tuple[int, int]:
    """Ask Stripe for the sessions, claims and refunds a restore may have lost, and keep
    the unknown ones; how many links and moves were found. Stripe not answering raises
    GatewayError: asked again next pass."""
    with sessions() as session:
        wanted = {
            venue_id: since
            for venue_id, since in session.execute(
                select(PaymentRecovery.venue_id, PaymentRecovery.since).where(
                    PaymentRecovery.listed_at.is_(None)
                )
            )
        }
        held = moved.holds(session, wanted) if wanted else []
    if not wanted:
        return 0, 0
    since = min(wanted.values())
    listed = payments.gateway.checkouts_since(since)
    moves = moved.at_stripe(payments.gateway, since, set(wanted), held)
    ours = [(c, ids) for c in listed if (ids := _ids(c)) is not None and ids[0] in wanted]
    found = 0
    with sessions() as session, session.begin():
        now = payments.clock.now()
        requests = [ids[2] for _, ids in ours]
        known = set(
            session.scalars(select(DepositRequest.id).where(DepositRequest.id.in_(requests)))
        )
        for checkout, (venue_id, booking_id, request_id) in ours:
            if request_id in known:
                continue
            added = session.execute(
                insert(FoundCheckout)
                .values(
                    session_id=checkout.id,
                    venue_id=venue_id,
                    booking_id=booking_id,
                    request_id=request_id,
                    found_at=now,
                )
                .on_conflict_do_nothing()
                .returning(FoundCheckout.session_id)
            ).first()
            found += added is not None
        moves_found = moved.keep(session, moves, now)
        for venue_id in wanted:
            row = session.get(PaymentRecovery, venue_id, with_for_update=True)
            if row is not None and row.listed_at is None:
                row.listed_at = now
    return found, moves_found


def _ids(checkout: Checkout) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID] | None:
    """The venue, booking and request a session of this server carries; None for one
    made by anything else on the same Stripe account."""
    try:
        return tuple(  # type: ignore[return-value]
            uuid.UUID(checkout.metadata[k]) for k in ("venue_id", "booking_id", "request_id")
        )
    except (KeyError, ValueError):
        return None


def take_back(
    sessions: sessionmaker[Session],
    payments: Payments,
    booking_ids: Collection[uuid.UUID] | None = None,
    done: Recovered | None = None,
) -> Recovered:
    """Take back every found session whose booking is here (of ``booking_ids`` only, if
    given), as Stripe has it now."""
    done = done if done is not None else Recovered()
    query = (
        select(FoundCheckout.session_id)
        .join(Booking, Booking.id == FoundCheckout.booking_id)
        .where(FoundCheckout.settled_at.is_(None))
        .order_by(FoundCheckout.found_at, FoundCheckout.session_id)
    )
    if booking_ids is not None:
        query = query.where(FoundCheckout.booking_id.in_(booking_ids))
    with sessions() as session:
        waiting = list(session.scalars(query))
    for session_id in waiting:
        try:
            checkout = payments.gateway.retrieve_checkout(session_id)
            with sessions() as session, session.begin():
                outcome = _take_back(session, session_id, checkout, payments)
            if outcome is _Outcome.CLOSE:
                _close(sessions, payments, session_id)
                done.closed += 1
            if outcome is _Outcome.TAKEN and checkout.state is SessionState.HELD:
                done.moves_found += _what_became_of(sessions, payments, checkout)
        except GatewayError as trouble:
            done.unreachable.append(f"{session_id}: {trouble}")
            continue
        done.taken_back += outcome is _Outcome.TAKEN
    return done


def _what_became_of(sessions: sessionmaker[Session], payments: Payments, held: Checkout) -> int:
    """A hold the restore had lost, taken back: it may have been captured or let go since
    (the restore's listing asked only about the holds the copy had), so Stripe is asked
    now and what it did is kept, to be taken back after it (server.payments.moved)."""
    ids = _ids(held)
    if ids is None or held.payment_ref is None:
        return 0
    venue_id, booking_id, _ = ids
    found = moved.held_now(payments.gateway, [moved.Hold(venue_id, booking_id, held.payment_ref)])
    if not found:
        return 0
    with sessions() as session, session.begin():
        return moved.keep(session, found, payments.clock.now())


class _Outcome(Enum):
    TAKEN = "taken back"
    NOTHING = "nothing to take back"
    CLOSE = "to be expired at Stripe"


def _take_back(
    session: Session, session_id: str, checkout: Checkout, payments: Payments
) -> _Outcome:
    found = session.get(FoundCheckout, session_id, with_for_update=True)
    if found is None or found.settled_at is not None:
        return _Outcome.NOTHING
    now = payments.clock.now()
    if session.get(DepositRequest, found.request_id) is not None:
        return _settle(found, now, "its request is known again")
    if checkout.state is SessionState.EXPIRED:
        return _settle(found, now, "expired unpaid: no money moved")
    row = session.get(Booking, found.booking_id, with_for_update=NO_KEY_UPDATE)
    assert row is not None, "taken back only once its booking is here"
    before = store.booking(row)
    asked = before
    if checkout.state in _ASKED_FIRST:
        try:
            asked = kernel.requested(before, at=now)
        except DomainError:
            # The booking cannot ask for a link now: one still open must not be paid; a
            # card saved is applied all the same, and apply_checkout names the problem.
            if checkout.state is SessionState.OPEN:
                return _Outcome.CLOSE
    amount = checkout.amount_pence or before.deposit_pence
    if amount <= 0:
        return _settle(found, now, "the booking owes no deposit")
    request = DepositRequest(
        id=found.request_id,
        venue_id=found.venue_id,
        booking_id=found.booking_id,
        amount_pence=amount,
        currency=checkout.currency or CURRENCY,
        status=RequestStatus.REQUESTED.value,
        link_minutes=_minutes(checkout),
        session_id=checkout.id,
        url=checkout.url,
        expires_at=checkout.expires_at,
        requested_by=FOUND_BY,
        staff_id=uuid.UUID(SERVER.id),
        requested_at=checkout.created_at or now,
        kind=ActionKind.LINK.value,
        mode=(DepositMode.HOLD if checkout.state is SessionState.HELD else checkout.mode).value,
    )
    session.add(request)
    if asked != before:
        store.write_booking(row, asked)
    session.flush()
    apply_checkout(session, request, checkout, now, payments.public_url, tell=False)
    stamp(session, found.venue_id, now, [request, *([row] if asked != before else [])])
    _settle(found, now, f"taken back: {checkout.state.value}")
    return _Outcome.TAKEN


def _settle(found: FoundCheckout, now: datetime, outcome: str) -> _Outcome:
    found.settled_at, found.outcome = now, outcome
    return _Outcome.NOTHING


def _minutes(checkout: Checkout) -> int:
    if checkout.created_at is None:
        return 24 * 60
    return max(1, round((checkout.expires_at - checkout.created_at).total_seconds() / 60))


def _close(sessions: sessionmaker[Session], payments: Payments, session_id: str) -> None:
    """Expire an open found link its booking can no longer take. A guest who paid it a
    moment ago cannot have it expired: it stays found, taken back on the next pass."""
    try:
        payments.gateway.expire_checkout(session_id)
    except GatewayError as refused:
        if refused.retry:
            raise
        return
    with sessions() as session, session.begin():
        found = session.get(FoundCheckout, session_id, with_for_update=True)
        if found is not None and found.settled_at is None:
            _settle(found, payments.clock.now(), "expired at Stripe: its booking could not take it")


def recovered(sessions: sessionmaker[Session], payments: Payments) -> Recovered:
    """The reconciliation's part: Stripe asked if a restore wants it, then every found
    session whose booking is here taken back."""
    done = Recovered()
    try:
        done.found, done.moves_found = recover(sessions, payments)
    except GatewayError as trouble:
        done.unreachable.append(f"the links a restore lost: {trouble}")
    take_back(sessions, payments, done=done)
    # After the links: a refund waits for the payment it gave back to be on the ledger.
    done.moves_taken_back = moved.take_back(sessions, payments)
    return done


def before_actions(
    sessions: sessionmaker[Session], payments: Payments, request_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Before claims and refunds are asked of Stripe: the claims and refunds a restore
    lost of their bookings are taken back first, so a no-show's card is never charged a
    second time (server.payments.actions then refuses a claim on a deposit claimed
    already). Returns the requests to hold back: Stripe not yet asked after a restore,
    and not answering now (the reconciliation carries them out later)."""
    if not request_ids:
        return set()
    with sessions() as session:
        rows = session.execute(
            select(DepositRequest.id, DepositRequest.venue_id, DepositRequest.booking_id).where(
                DepositRequest.id.in_(request_ids)
            )
        ).all()
        if not rows:
            return set()
        wanted = pending(session, {venue for _, venue, _ in rows})
    if wanted:
        try:
            recover(sessions, payments)
        except GatewayError:
            return {request for request, _, _ in rows}
    bookings = {booking for _, _, booking in rows}
    with sessions() as session:
        found = moved.waiting_for(session, bookings)
    if found:
        take_back(sessions, payments, found)
        moved.take_back(sessions, payments, found)
    return set()


def before_links(
    sessions: sessionmaker[Session], payments: Payments, request_ids: Collection[uuid.UUID]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Before new links are made for ``request_ids``: what a restore lost of their
    bookings' links is taken back first, so a guest who paid is not asked again. Returns
    the requests to hold back (Stripe not yet asked, and not answering now: the
    reconciliation makes them later) and the bookings a found link was taken back for."""
    with sessions() as session:
        rows = session.execute(
            select(DepositRequest.id, DepositRequest.venue_id, DepositRequest.booking_id).where(
                DepositRequest.id.in_(request_ids)
            )
        ).all()
        venues = {venue for _, venue, _ in rows}
        bookings = {booking for _, _, booking in rows}
        wanted = bool(rows) and pending(session, venues)
    if wanted:
        try:
            recover(sessions, payments)
        except GatewayError:
            return {request for request, _, _ in rows}, set()
    with sessions() as session:
        found = set(
            session.scalars(
                select(FoundCheckout.booking_id).where(
                    FoundCheckout.booking_id.in_(bookings), FoundCheckout.settled_at.is_(None)
                )
            )
        )
    if found:
        take_back(sessions, payments, found)
    return set(), found
