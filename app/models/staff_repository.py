"""Staff as the desk keeps them: signing in offline, and an admin's changes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.permissions import Role, Staff
from app.domain.staff import StaffMember
from app.models.sync_tables import SyncShadowRow, SyncStaffAliasRow
from app.models.tables import StaffRow
from app.protocol import EntityKind


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, staff_id: str) -> Staff | None:
        row = self.session.get(StaffRow, staff_id)
        return None if row is None else Staff(row.id, row.name, Role(row.role))

    def by_username(self, username: str) -> tuple[Staff, str | None] | None:
        row = self.session.scalars(
            select(StaffRow).where(StaffRow.username == username, StaffRow.active)
        ).one_or_none()
        return None if row is None else (Staff(row.id, row.name, Role(row.role)), row.pin_hash)

    def all(self) -> list[Staff]:
        rows = self.session.scalars(select(StaffRow).where(StaffRow.active).order_by(StaffRow.name))
        return [Staff(r.id, r.name, Role(r.role)) for r in rows]

    def server_id(self, staff_id: str) -> str | None:
        """The server's id for a staff member signed in here, or None if sync has not met them.

        A session signed in before the first sync holds the desk's own id, which the
        first pull re-keyed to the server's (the alias remembers it).
        """
        new_id = self.session.scalar(
            select(SyncStaffAliasRow.new_id).where(SyncStaffAliasRow.old_id == staff_id)
        )
        known = new_id or staff_id
        shadow = self.session.get(SyncShadowRow, (EntityKind.STAFF.value, known))
        return known if shadow is not None else None

    def current_id(self, staff_id: str) -> str:
        """The id of a staff member signed in as ``staff_id``, even if sync re-keyed it."""
        new_id = self.session.scalar(
            select(SyncStaffAliasRow.new_id).where(SyncStaffAliasRow.old_id == staff_id)
        )
        return new_id or staff_id

    def username_of(self, staff_id: str) -> str | None:
        """The username of a staff member signed in as ``staff_id`` (the same on the server)."""
        row = self._row(staff_id)
        return None if row is None else row.username

    def _row(self, staff_id: str) -> StaffRow | None:
        """The row of a staff member signed in as ``staff_id``, even if sync re-keyed it."""
        new_id = self.session.scalar(
            select(SyncStaffAliasRow.new_id).where(SyncStaffAliasRow.old_id == staff_id)
        )
        row = self.session.get(StaffRow, new_id or staff_id)
        return row if row is not None and row.active else None

    def pin_hash(self, staff_id: str) -> str | None:
        row = self._row(staff_id)
        return None if row is None else row.pin_hash

    def members(self) -> list[StaffMember]:
        """Everyone, deactivated too (an admin can bring them back)."""
        rows = self.session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.username))
        return [staff_member(r) for r in rows]

    def member(self, staff_id: str) -> StaffMember | None:
        row = self.session.get(StaffRow, staff_id)
        return None if row is None else staff_member(row)

    def synced_version(self, staff_id: str) -> int:
        """The server's version of this member of staff as last pulled; 0 if it never saw them."""
        shadow = self.session.get(SyncShadowRow, (EntityKind.STAFF.value, staff_id))
        return 0 if shadow is None else shadow.version

    def save(self, member: StaffMember, venue_id: str, pin_hash: str | None = None) -> None:
        """Store a member as an admin left them; ``pin_hash`` None keeps the PIN they have."""
        row = self.session.get(StaffRow, member.id)
        if row is None:
            row = StaffRow(id=member.id, venue_id=venue_id, pin_hash=None)
            self.session.add(row)
        row.username, row.name = member.username, member.name
        row.role, row.active = member.role.value, member.active
        if pin_hash is not None:
            row.pin_hash = pin_hash
        self.session.flush()

    def add(self, staff: Staff, venue_id: str, username: str, pin_hash: str | None) -> None:
        self.session.add(
            StaffRow(
                id=staff.id,
                venue_id=venue_id,
                name=staff.name,
                username=username,
                role=staff.role.value,
                pin_hash=pin_hash,
            )
        )
        self.session.flush()


def staff_member(row: StaffRow) -> StaffMember:
    return StaffMember(row.id, row.username, row.name, Role(row.role), row.active)
