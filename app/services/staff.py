"""An admin manages the venue's staff: add, edit, deactivate or reactivate, reset a PIN.

Each change is one unit of work: the staff row, its audit event and one
``update_staff`` intent commit together, so a connected desk sends it to the
server, which judges it again (only an admin may) and passes it to every desk.
A PIN travels only as its scrypt hash (docs/architecture.md, "Staff and PINs").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from app.domain.errors import DomainError, InvalidInput, NotFound
from app.domain.permissions import Action, Role, Staff
from app.domain.pin_hash import check_pin, hash_pin
from app.domain.staff import (
    StaffMember,
    check_new_pin,
    normalise_username,
    only_own_pin,
    refuse_leaving_no_admin,
    refuse_taken,
    tidy_staff_name,
)
from app.models.journal import Change
from app.models.uow import Store, UnitOfWork
from app.protocol import IntentName, UpdateStaffArgs, meaning
from app.services.common import Clock, wire


@dataclass(frozen=True, slots=True)
class StaffChanged:
    member: StaffMember
    # What happened, in the words shown to the admin.
    message: str


class StaffAdmin:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def members(self, staff: Staff) -> list[StaffMember]:
        staff.require(Action.SEE_STAFF)
        with self.store.read() as reader:
            return reader.staff.members()

    def add(
        self, admin: Staff, username: str, name: str, role: Role, pin: str, again: str
    ) -> StaffChanged:
        admin.require(Action.MANAGE_STAFF)
        member = StaffMember(
            str(uuid.uuid4()), normalise_username(username), tidy_staff_name(name), role, True
        )
        check_new_pin(pin, again)
        pin_hash = hash_pin(pin)
        with self.store.unit_of_work() as uow:
            refuse_taken(member.username, uow.staff.members())
            self._save(uow, admin, None, member, pin_hash)
        return StaffChanged(
            member,
            f"Added {member.name} ({member.username}) as {role.value}; they sign in "
            "with the PIN you gave.",
        )

    def edit(self, admin: Staff, staff_id: str, name: str, role: Role) -> StaffChanged:
        admin.require(Action.MANAGE_STAFF)
        tidy = tidy_staff_name(name)
        with self.store.unit_of_work() as uow:
            before = _member(uow, staff_id)
            after = replace(before, name=tidy, role=role)
            if after == before:
                raise DomainError(f"Nothing to change for {before.name}.")
            self._save(uow, admin, before, after, None)
        return StaffChanged(after, f"Saved {after.name} ({after.username}), {role.value}.")

    def set_active(self, admin: Staff, staff_id: str, active: bool) -> StaffChanged:
        admin.require(Action.MANAGE_STAFF)
        with self.store.unit_of_work() as uow:
            before = _member(uow, staff_id)
            if before.active == active:
                state = "active" if active else "deactivated"
                raise DomainError(f"{before.name} is already {state}.")
            after = replace(before, active=active)
            self._save(uow, admin, before, after, None)
        if active:
            return StaffChanged(after, f"{after.name} is active again and can sign in.")
        return StaffChanged(after, f"{after.name} is deactivated and can no longer sign in.")

    def reset_pin(self, admin: Staff, staff_id: str, pin: str, again: str) -> StaffChanged:
        admin.require(Action.MANAGE_STAFF)
        check_new_pin(pin, again)
        pin_hash = hash_pin(pin)
        with self.store.unit_of_work() as uow:
            member = _member(uow, staff_id)
            if not member.active:
                raise DomainError(f"{member.name} is deactivated; reactivate them first.")
            self._save(uow, admin, member, member, pin_hash)
        return StaffChanged(member, f"{member.name}'s PIN was reset; tell them the new one.")

    def change_pin(self, staff: Staff, current: str, new: str, again: str) -> str:
        """Staff change their own PIN; a connected desk sends its hash to every desk."""
        with self.store.unit_of_work() as uow:
            member = _member(uow, uow.staff.current_id(staff.id))
            stored = uow.staff.pin_hash(member.id)
            if not member.active or stored is None or not check_pin(current, stored):
                raise InvalidInput("current", "That is not your current PIN; nothing was changed.")
            check_new_pin(new, again)
            if new == current:
                raise InvalidInput("pin", "Choose a PIN different from the one you have now.")
            self._write(uow, member.staff, member, member, hash_pin(new))
        return f"{member.name}'s PIN was changed."

    def _save(
        self,
        uow: UnitOfWork,
        admin: Staff,
        before: StaffMember | None,
        after: StaffMember,
        pin_hash: str | None,
    ) -> None:
        actor = _acting_admin(uow, admin)
        refuse_leaving_no_admin(actor, uow.staff.members(), after)
        self._write(uow, actor, before, after, pin_hash)

    def _write(
        self,
        uow: UnitOfWork,
        actor: Staff,
        before: StaffMember | None,
        after: StaffMember,
        pin_hash: str | None,
    ) -> None:
        """The staff row, its audit event and its update_staff intent, in one commit."""
        now = self.clock()
        uow.staff.save(after, uow.journal.device().venue_id, pin_hash)
        args = wire(
            UpdateStaffArgs,
            username=after.username,
            name=after.name,
            role=after.role,
            active=after.active,
            pin_hash=pin_hash,
        )
        own_pin = only_own_pin(actor.id, before, after, pin_hash is not None)
        for action in meaning.required_actions(args, None, own_pin=own_pin):
            actor.require(action)
        uow.journal.record(
            staff=actor,
            at=now,
            intent=IntentName.UPDATE_STAFF,
            entity_id=after.id,
            base_version=uow.staff.synced_version(after.id),
            args=args,
            previous=_audited(before) or {},
            changes=[Change("staff", after.id, _audited(before), _audited(after, pin_hash))],
        )
        uow.commit()


def _member(uow: UnitOfWork, staff_id: str) -> StaffMember:
    member = uow.staff.member(staff_id)
    if member is None:
        raise NotFound("That member of staff is not on this desk.")
    return member


def _acting_admin(uow: UnitOfWork, admin: Staff) -> Staff:
    """The admin as the desk knows them now (sync may have re-keyed or changed them)."""
    member = uow.staff.member(uow.staff.current_id(admin.id))
    if member is None or not member.active:
        raise DomainError(f"{admin.name} is no longer active on this desk; sign in again.")
    member.staff.require(Action.MANAGE_STAFF)
    return member.staff


def _audited(member: StaffMember | None, pin_hash: str | None = None) -> dict[str, Any] | None:
    """What the audit trail keeps of a change: never a PIN or its hash, only that it was set."""
    if member is None:
        return None
    fields: dict[str, Any] = {
        "username": member.username,
        "name": member.name,
        "role": member.role.value,
        "active": member.active,
    }
    return {**fields, "pin": "set"} if pin_hash is not None else fields
