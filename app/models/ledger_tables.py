"""The desk's copy of the deposit ledger: the server's entries, and this desk's unsent ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

Id = String(36)


class DepositLedgerRow(Base):
    """One ledger entry. ``version`` 0 with a ``mutation_id``: recorded here by a use case
    and not yet answered; the server's row (same id) replaces it when it is pulled."""

    __tablename__ = "deposit_ledger"
    __table_args__ = (Index("ix_deposit_ledger_recorded_at", "recorded_at"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    booking_id: Mapped[str] = mapped_column(Id, index=True)
    kind: Mapped[str] = mapped_column(String(24))
    amount_pence: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[str] = mapped_column(Id)
    staff_name: Mapped[str] = mapped_column(String(120))
    device_id: Mapped[str | None] = mapped_column(Id)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    provider_ref: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int]
    # The intent that recorded it on this desk, while the server has not answered.
    mutation_id: Mapped[str | None] = mapped_column(Id)
