"""The deposit ledger: every movement of deposit money, and every waiver, as desks list it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.deposit_ledger import LedgerKind, PaymentMethod
from server.db import Base
from server.venues.models import SyncedMixin

KINDS = ", ".join(f"'{k.value}'" for k in LedgerKind)
METHODS = ", ".join(f"'{m.value}'" for m in PaymentMethod)


class DepositLedgerEntry(SyncedMixin, Base):
    """Written only by the server's judges, in the transaction that changes the booking.

    ``id`` is the entry id the desk chose, so the desk's own unsent copy is replaced
    by this row when it is pulled. The staff member is named as well as referred to,
    so the ledger reads the same after they leave.
    """

    __tablename__ = "deposit_ledger"
    __table_args__ = (
        CheckConstraint(f"kind IN ({KINDS})", name="kind"),
        CheckConstraint(f"method IS NULL OR method IN ({METHODS})", name="method"),
        CheckConstraint("amount_pence >= 0", name="amount"),
        CheckConstraint("currency = 'GBP'", name="currency"),
        Index("ix_deposit_ledger_venue_version", "venue_id", "version"),
        Index("ix_deposit_ledger_booking_id", "booking_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id"))
    kind: Mapped[str] = mapped_column(Text)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[uuid.UUID] = mapped_column(UUID)
    staff_name: Mapped[str] = mapped_column(Text)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    recorded_at: Mapped[datetime]
    # The payment provider's id (a Stripe PaymentIntent or Refund), for the kinds it makes.
    provider_ref: Mapped[str | None] = mapped_column(Text)
