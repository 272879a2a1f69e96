"""Payment links asked for bookings' deposits, and the provider's events already applied."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposit_modes import DepositMode
from server.db import Base
from server.venues.models import SyncedMixin

STATUSES = ", ".join(f"'{s.value}'" for s in RequestStatus)
KINDS = ", ".join(f"'{s.value}'" for s in ActionKind)
MODES = ", ".join(f"'{s.value}'" for s in DepositMode)


class DepositRequest(SyncedMixin, Base):
    """One payment link, from the ``request_deposit`` intent whose mutation id is its id.

    Written by the judge (status ``requested``, no link yet) in the intent's transaction;
    the link is made after that commit and written in a small transaction of its own
    (server.payments.links), so the provider is never called inside the venue's critical
    section. Synced to every desk.
    """

    __tablename__ = "deposit_requests"
    __table_args__ = (
        CheckConstraint(f"status IN ({STATUSES})", name="status"),
        CheckConstraint(f"kind IN ({KINDS})", name="kind"),
        CheckConstraint(f"mode IN ({MODES})", name="mode"),
        CheckConstraint("amount_pence > 0", name="amount"),
        CheckConstraint("currency = 'GBP'", name="currency"),
        Index("ix_deposit_requests_venue_version", "venue_id", "version"),
        Index("ix_deposit_requests_booking_id", "booking_id"),
        Index("ix_deposit_requests_session", "session_id", unique=True),
        Index("ix_deposit_requests_short_token", "short_token", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id"))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    link_minutes: Mapped[int]
    # The Checkout Session, once made.
    session_id: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None]
    requested_by: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[uuid.UUID] = mapped_column(UUID)
    requested_at: Mapped[datetime]
    problem: Mapped[str | None] = mapped_column(Text)
    # A link for the guest, or a manager's claim or refund (app.domain.deposit_actions).
    kind: Mapped[str] = mapped_column(Text, server_default=ActionKind.LINK.value)
    # What a link asks of the card (app.domain.deposit_modes).
    mode: Mapped[str] = mapped_column(Text, server_default=DepositMode.PAYMENT.value)
    # A refund's reason.
    reason: Mapped[str | None] = mapped_column(Text)
    # Stripe's ids: the PaymentIntent a link made or a claim/refund acted on, and the
    # customer and card a save-card link keeps for an off-session charge (server only).
    provider_ref: Mapped[str | None] = mapped_column(Text)
    customer_ref: Mapped[str | None] = mapped_column(Text)
    payment_method_ref: Mapped[str | None] = mapped_column(Text)
    card_last4: Mapped[str | None] = mapped_column(Text)
    capture_before: Mapped[datetime | None]
    # When the link's expiry released the booking's tables (app.domain.kernel.deposit_expiry).
    released_at: Mapped[datetime | None]
    # A link's short address for SMS, ``{public_url}/p/{short_token}`` (server.payments.short).
    short_token: Mapped[str | None] = mapped_column(Text)


class PaymentEvent(Base):
    """A provider event applied (or deliberately ignored): never applied twice.

    Inserted in the same transaction as the change the event makes, so a delivery that
    fails half-way leaves no trace and the provider's retry applies it whole.
    """

    __tablename__ = "payment_events"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    type: Mapped[str] = mapped_column(Text)
    request_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    received_at: Mapped[datetime]


class StripeCustomerDeletion(Base):
    """A guest's saved-card customer at Stripe, to be deleted because the guest was erased
    at their request (server.payments.forget). The row keeps only Stripe's id: it is the
    record that the deletion was asked for, and whether Stripe has done it."""

    __tablename__ = "stripe_customer_deletions"
    __table_args__ = (UniqueConstraint("venue_id", "customer_ref"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    customer_ref: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    # Stripe refused for good (not a moment's trouble): the operator deletes it by hand.
    failed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class PaymentRecovery(Base):
    """Stripe to be asked for the links a restored database lost (server.payments.found):
    one row per venue, written by ``backroom-server restored``. ``since`` is shortly before
    the restored copy's newest change; ``listed_at`` stays empty until Stripe has answered."""

    __tablename__ = "payment_recoveries"

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), primary_key=True)
    since: Mapped[datetime]
    restored_at: Mapped[datetime]
    listed_at: Mapped[datetime | None]


class FoundCheckout(Base):
    """A Checkout Session found at Stripe whose request the restored database had lost,
    kept until its booking is here to take it back (``adopted_at``), or until it is known
    to have moved no money (``settled_at`` with ``outcome``)."""

    __tablename__ = "found_checkouts"
    __table_args__ = (Index("ix_found_checkouts_booking", "booking_id"),)

    session_id: Mapped[str] = mapped_column(Text, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    # No foreign key: the booking may be entered again only later, with its own id.
    booking_id: Mapped[uuid.UUID] = mapped_column(UUID)
    request_id: Mapped[uuid.UUID] = mapped_column(UUID)
    found_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)


class PaymentWatch(Base):
    """How far the reconciliation has read a listing at Stripe (server.payments.outside:
    its events, ``stripe_events``), so each pass asks only for what is new."""

    __tablename__ = "payment_watch"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    listed_to: Mapped[datetime]


class FoundMove(Base):
    """A claim, refund or release made at Stripe whose request the restored database had
    lost (server.payments.moved), kept until its booking, and the payment it acted on,
    are here to take it back onto (``settled_at`` with ``outcome``)."""

    __tablename__ = "found_moves"
    __table_args__ = (Index("ix_found_moves_booking", "booking_id"),)

    # Stripe's Refund, or the PaymentIntent charged, captured or cancelled.
    ref: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    # No foreign key: the booking may be entered again only later, with its own id.
    booking_id: Mapped[uuid.UUID] = mapped_column(UUID)
    request_id: Mapped[uuid.UUID] = mapped_column(UUID)
    payment_ref: Mapped[str] = mapped_column(Text)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    moved_at: Mapped[datetime | None]
    found_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
