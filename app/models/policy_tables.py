"""The desk's copy of the venue's deposit policy versions (pulled, never written here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONText, UTCDateTime


class DepositPolicyRow(Base):
    """One version of the venue's deposit policy, as the server's admin set it."""

    __tablename__ = "deposit_policies"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    policy_version: Mapped[int] = mapped_column(unique=True)
    terms: Mapped[dict[str, Any]] = mapped_column(JSONText)
    set_by: Mapped[str] = mapped_column(String(120))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int]
