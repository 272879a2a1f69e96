"""Who is calling: a signed-in staff member or a registered desk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.domain.permissions import Role


@dataclass(frozen=True, slots=True)
class StaffPrincipal:
    venue_id: uuid.UUID
    staff_id: uuid.UUID
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class DevicePrincipal:
    venue_id: uuid.UUID
    device_id: uuid.UUID
    name: str


Principal = StaffPrincipal | DevicePrincipal
