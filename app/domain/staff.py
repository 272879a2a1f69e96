"""The venue's staff as an admin manages them: who they are, and the changes refused.

One rule for a username (the desk, the server's wire schema and both sign-ins
take it from here) and the rules that keep a venue able to manage itself: it
always has an active admin, and no admin locks themself out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.errors import DomainError, InvalidInput
from app.domain.limits import check_pin_format
from app.domain.permissions import Role, Staff

# Lower case letters, digits, dot, dash and underscore: typed the same on every keyboard.
USERNAME_PATTERN = r"^[a-z0-9._-]+$"
MAX_USERNAME = 60
MAX_STAFF_NAME = 120
# What a desk PIN travels as: its scrypt hash (app.domain.pin_hash.hash_pin), never the digits.
PIN_HASH_PATTERN = r"^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$"


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    username: str
    name: str
    role: Role
    active: bool

    @property
    def staff(self) -> Staff:
        return Staff(self.id, self.name, self.role)


def normalise_username(raw: str) -> str:
    """A username as it is stored and compared: ``Sam `` and ``sam`` are one person."""
    username = raw.strip().lower()
    if not username:
        raise InvalidInput("username", "A username is needed (for example 'sam').")
    if len(username) > MAX_USERNAME:
        raise InvalidInput("username", f"A username is at most {MAX_USERNAME} characters.")
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise InvalidInput(
            "username",
            f"'{username}' is not a username: use letters, digits, '.', '-' or '_' (no spaces).",
        )
    return username


def tidy_staff_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise InvalidInput("name", "A name is needed: how colleagues know them ('Sam Patel').")
    if len(name) > MAX_STAFF_NAME:
        raise InvalidInput("name", f"A name is at most {MAX_STAFF_NAME} characters.")
    return name


def check_new_pin(pin: str, again: str) -> None:
    check_pin_format(pin)
    if pin != again:
        raise InvalidInput("again", "The two new PINs differ; type the same PIN twice.")


def refuse_taken(username: str, others: list[StaffMember]) -> None:
    for other in others:
        if other.username == username:
            state = "" if other.active else " (deactivated; reactivate them instead)"
            raise InvalidInput(
                "username", f"'{username}' is already {other.name}'s username{state}."
            )


def only_own_pin(
    actor_id: str, before: StaffMember | None, after: StaffMember, pin_set: bool
) -> bool:
    """The change sets the acting person's own PIN and nothing else: anyone may."""
    return pin_set and before is not None and before == after and after.id == actor_id


def refuse_leaving_no_admin(admin: Staff, everyone: list[StaffMember], after: StaffMember) -> None:
    """An admin may not lock themself out, nor leave the venue with no active admin."""
    before = next((s for s in everyone if s.id == after.id), None)
    if before is None:
        return
    still_admin = after.active and after.role is Role.ADMIN
    if before.active and before.role is Role.ADMIN and not still_admin:
        others = [s for s in everyone if s.id != after.id and s.active and s.role is Role.ADMIN]
        if not others:
            raise DomainError(
                f"{before.name} is the venue's last active admin; make someone else an admin first."
            )
    if before.id == admin.id and before.active and not after.active:
        raise DomainError("You cannot deactivate yourself; ask another admin.")


@dataclass(frozen=True, slots=True)
class Matched:
    """A desk's member of staff found on the server under the same username (another id)."""

    username: str
    desk_name: str
    desk_role: Role
    server_name: str
    server_role: Role
    server_active: bool
    pin_from_server: bool

    @property
    def notice(self) -> str:
        u = self.username
        words = f"Matched this desk's '{u}' ({self.desk_name}) to the server's '{u}' "
        words += f"({self.server_name})."
        name_differs = self.desk_name != self.server_name
        role_differs = self.desk_role is not self.server_role
        if name_differs and role_differs:
            words += (
                f" The server's name, {self.server_name}, and role, "
                f"{self.server_role.value}, now apply."
            )
        elif name_differs:
            words += f" The server's name, {self.server_name}, now applies."
        elif role_differs:
            words += f" The server's role, {self.server_role.value}, now applies."
        if not self.server_active:
            words += " The server has them deactivated, so they no longer sign in here."
        elif self.pin_from_server:
            words += " Their PIN is now the one set on the server."
        else:
            words += " They keep their PIN on this desk."
        return words


MANAGING = (Role.MANAGER, Role.ADMIN)


def can_manage_here(member: StaffMember, has_pin: bool) -> bool:
    """Someone who can sign in at this desk and run it: an active manager or admin with a PIN."""
    return member.active and member.role in MANAGING and has_pin


def nobody_to_manage(members: list[StaffMember]) -> str:
    """What staff are told when no manager or admin can sign in at a desk, and what to do."""
    candidates = [m for m in members if m.active and m.role in MANAGING]
    if not candidates:
        return (
            "No manager or admin can sign in at this desk: the server has none active for "
            "this venue. Create one with a desk PIN on the server (backroom-server "
            "create-staff --role admin --pin-stdin …), then sync this desk."
        )
    who = ", ".join(f"'{m.username}' ({m.role.value})" for m in candidates)
    first = candidates[0].username
    verb = "has" if len(candidates) == 1 else "have"
    return (
        f"No manager or admin can sign in at this desk: {who} {verb} no PIN here. Give one a "
        f"desk PIN on the server (backroom-server set-pin --venue … --username {first} "
        "--pin-stdin), then sync this desk."
    )
