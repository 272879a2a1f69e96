"""Signing in, registering a desk and managing staff."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from app.domain.permissions import Role
from app.protocol.base import StaffName, Strict, Username


class LoginRequest(Strict):
    venue_id: UUID
    username: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class StaffInfo(Strict):
    id: UUID
    venue_id: UUID
    username: str
    name: str
    role: Role
    active: bool


class LoginResponse(Strict):
    token: str
    expires_at: AwareDatetime
    staff: StaffInfo


# A name staff read: spaces around it do not count, and it is not only spaces.
Named = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class DeviceRegistration(Strict):
    name: Named
    # The desk's own id (it signs its audit chain with it); made here if absent.
    device_id: UUID | None = None
    # The highest role this desk may act for (app.domain.permissions.ceiling_for).
    role_ceiling: Role | None = None


class DeviceToken(Strict):
    device_id: UUID
    venue_id: UUID
    name: str
    token: str
    expires_at: AwareDatetime
    role_ceiling: Role = Role.MANAGER


class DeviceCeiling(Strict):
    role_ceiling: Role


class DeviceInfo(Strict):
    id: UUID
    venue_id: UUID
    name: str
    role_ceiling: Role = Role.MANAGER
    created_at: AwareDatetime
    revoked_at: AwareDatetime | None
    last_seq: int
    last_seen_at: AwareDatetime | None


class NewStaff(Strict):
    username: Username
    name: StaffName
    role: Role
    password: Annotated[str, Field(min_length=10, max_length=200)]


class VenueSummary(Strict):
    """What the server holds for a venue: what a desk shows before it first connects."""

    venue_name: str
    bookings: int  # not cancelled
    staff: list[str]  # active usernames
    desks: int  # registered and not revoked


class VenueListing(Strict):
    """A venue on this server, as a new desk finds it before anyone signs in."""

    id: UUID
    name: str


class VenueSettings(Strict):
    """A venue's name and settings (hours, durations, day boundary, deposit policy, as in
    its plan file): what a new desk connecting to the server starts from."""

    id: UUID
    name: str
    settings: dict[str, Any]
