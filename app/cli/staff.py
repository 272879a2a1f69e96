"""``backroom staff list|add|edit|deactivate|reactivate|reset-pin``: an admin manages staff.

Changing staff asks for the acting admin's PIN. PINs are never command-line
arguments (they would sit in the shell's history and the process list): they
are typed at a hidden prompt, or read one a line from standard input with
``--pin-stdin`` (the admin's first, then the new PIN).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.errors import DomainError
from app.domain.permissions import Role, Staff
from app.domain.staff import StaffMember, normalise_username
from app.domain.text import shown

if TYPE_CHECKING:
    from app.services.desk import Desk

ACTIONS = ("list", "add", "edit", "deactivate", "reactivate", "reset-pin")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = sub.add_parser("staff", help="list the venue's staff; an admin adds and changes them")
    staff.add_argument("action", nargs="?", default="list", choices=ACTIONS)
    staff.add_argument("username", nargs="?", help="whose details (not for list)")
    staff.add_argument("--name", help="add/edit: the name colleagues know them by")
    staff.add_argument("--role", choices=[r.value for r in Role], help="add/edit: their role")
    staff.add_argument(
        "--as", dest="admin", help="the admin making the change (default: the desk's only admin)"
    )
    staff.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read PINs from standard input, one a line: the admin's, then the new PIN",
    )
    staff.add_argument("--json", action="store_true", help="list: as JSON")


def staff_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import open_desk_for

    if args.action != "list" and not args.username:
        raise DomainError(f"Name the member of staff: backroom staff {args.action} USERNAME.")
    if args.action == "add" and (args.name is None or args.role is None):
        raise DomainError("A new member of staff needs --name and --role.")
    if args.action == "edit" and args.name is None and args.role is None:
        raise DomainError("Say what to change: --name, --role or both.")
    desk = open_desk_for(db_path)
    if args.action == "list":
        return _list(desk, args.json)
    pins = _Pins(args.pin_stdin)
    admin = _sign_in(desk, args.admin, pins)
    if args.action == "add":
        pin, again = pins.new(args.username)
        role = Role(args.role)
        done = desk.staff_admin.add(admin, args.username, args.name, role, pin, again)
    else:
        member = _member(desk, admin, args.username)
        if args.action == "edit":
            name = args.name if args.name is not None else member.name
            role = Role(args.role) if args.role is not None else member.role
            done = desk.staff_admin.edit(admin, member.id, name, role)
        elif args.action == "reset-pin":
            pin, again = pins.new(member.username)
            done = desk.staff_admin.reset_pin(admin, member.id, pin, again)
        else:
            done = desk.staff_admin.set_active(admin, member.id, args.action == "reactivate")
    print(shown(done.message))
    return 0


def _list(desk: Desk, as_json: bool) -> int:
    from app.cli.commands import acting

    members = desk.staff_admin.members(acting(desk, None))
    if as_json:
        rows = [
            {"username": m.username, "name": m.name, "role": m.role.value, "active": m.active}
            for m in members
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for m in members:
        state = "" if m.active else "  (deactivated)"
        print(f"{m.username:<16} {shown(m.name):<28} {m.role.value:<10}{state}")
    return 0


class _Pins:
    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str) -> str:
        if self.from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        return getpass.getpass(prompt)

    def new(self, username: str) -> tuple[str, str]:
        pin = self.read(f"New PIN for {username} (4–8 digits): ")
        # Typed once from a file or pipe; twice at a prompt, where a slip would go unseen.
        return pin, pin if self.from_stdin else self.read("The same PIN again: ")


def _sign_in(desk: Desk, username: str | None, pins: _Pins) -> Staff:
    if username is None:
        admins = [m for m in desk.auth.staff() if m.role is Role.ADMIN]
        if len(admins) != 1:
            raise DomainError("Name the admin making the change: --as USERNAME.")
        members = desk.staff_admin.members(admins[0])
        username = next(m.username for m in members if m.id == admins[0].id)
    username = normalise_username(username)
    return desk.auth.sign_in(username, pins.read(f"PIN for {username}: "))


def _member(desk: Desk, admin: Staff, username: str) -> StaffMember:
    wanted = normalise_username(username)
    found = next((m for m in desk.staff_admin.members(admin) if m.username == wanted), None)
    if found is None:
        raise DomainError(f"There is no member of staff '{shown(wanted)}' on this desk.")
    return found
