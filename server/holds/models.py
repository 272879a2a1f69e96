"""Short holds on tables while a desk is booking them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, func
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class Hold(Base):
    __tablename__ = "holds"
    __table_args__ = (Index("ix_holds_venue_expires", "venue_id", "expires_at"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    table_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID))
    start: Mapped[datetime]
    end: Mapped[datetime]
    booking_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    # From the hold_fencing_tokens sequence: a later hold always has a larger one.
    fencing_token: Mapped[int] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
    # A desk's waitlist offer of these tables to the booking's guest, open until then
    # (server.messages.offers); None for a form's hold.
    offer_until: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
