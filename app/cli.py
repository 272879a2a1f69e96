"""``backroom``: the desk (no arguments) and a small command line for headless use."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import default_db_path
from app.domain.errors import DomainError, InvalidFields
from app.domain.permissions import Role, Staff
from app.domain.venue import parse_local

if TYPE_CHECKING:  # imported lazily at run time so `backroom --help` stays fast
    from app.models.uow import Store
    from app.services.desk import Desk


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backroom", description="The Backroom venue desk.")
    parser.add_argument(
        "--db", type=Path, help="database file (default: $BACKROOM_DB or the user data directory)"
    )
    sub = parser.add_subparsers(dest="command")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade", "backup"])
    db.add_argument("target", nargs="?", type=Path, help="backup file to write (for backup)")
    sub.add_parser("demo", help="seed The Backroom demo venue and a demo night")
    bookings = sub.add_parser("bookings", help="bookings of a service day")
    bookings.add_argument("action", choices=["list"])
    bookings.add_argument(
        "--date", type=date.fromisoformat, help="service day, YYYY-MM-DD (default: tonight)"
    )
    bookings.add_argument("--json", action="store_true")
    book = sub.add_parser("book", help="book a party")
    book.add_argument("--name", required=True)
    book.add_argument("--phone", required=True)
    book.add_argument("--party", type=int, required=True)
    book.add_argument("--at", required=True, help='venue time, "YYYY-MM-DD HH:MM"')
    book.add_argument("--duration", type=int, help="minutes (default: by party size)")
    book.add_argument("--email")
    book.add_argument("--occasion", default="")
    book.add_argument("--staff", default=None, help="username acting (default: the manager)")
    book.add_argument("--json", action="store_true")
    connect = sub.add_parser("connect", help="connect this desk to a central server")
    connect.add_argument("--server", required=True, help="the server's address, https://…")
    connect.add_argument("--user", required=True, help="a manager's or admin's username")
    connect.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    sub.add_parser("sync", help="sync once with the server now and say how it went")
    audit = sub.add_parser("audit", help="audit log")
    audit.add_argument("action", choices=["verify"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db_path: Path = args.db or default_db_path()
    if args.command is None:
        from app.views.app import run_desk

        return run_desk(db_path)
    try:
        return _COMMANDS[args.command](args, db_path)
    except InvalidFields as error:
        for field, message in error.errors.items():
            print(f"error: {field}: {message}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _store(db_path: Path) -> Store:
    from app.models.uow import Store

    return Store(db_path)


def _db(args: argparse.Namespace, db_path: Path) -> int:
    store = _store(db_path)
    if args.action == "upgrade":
        print(f"{db_path}: schema is up to date")
        return 0
    if args.target is None:
        raise DomainError("Name the backup file: backroom db backup PATH")
    from app.models.backup import backup

    pages = backup(store, args.target)
    print(f"Backed up {db_path} to {args.target} ({pages} pages, integrity ok)")
    return 0


def _demo(args: argparse.Namespace, db_path: Path) -> int:
    from app.services.common import system_clock
    from app.services.demo import seed_demo

    night = seed_demo(_store(db_path), system_clock)
    if night is None:
        print(f"{db_path} already has bookings; nothing seeded.")
    else:
        print(f"Seeded The Backroom: {night.created} bookings ({night.waitlisted} waitlisted).")
    return 0


def _desk(db_path: Path) -> Desk:
    from app.services.common import system_clock
    from app.services.demo import ensure_venue
    from app.services.desk import Desk

    store = _store(db_path)
    ensure_venue(store, system_clock)
    return Desk(store)


def _bookings(args: argparse.Namespace, db_path: Path) -> int:
    desk = _desk(db_path)
    day = args.date or desk.queries.tonight()
    venue = desk.queries.venue().venue
    views = desk.queries.bookings_on(day)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "reference": v.booking.reference,
                        "name": v.customer.name,
                        "phone": v.customer.phone,
                        "party_size": v.booking.party_size,
                        "start": v.booking.start.isoformat(),
                        "local_time": venue.show_time(v.booking.start),
                        "duration_minutes": v.booking.duration_minutes,
                        "status": v.booking.status.value,
                        "tables": v.tables,
                        "deposit_pence": v.booking.deposit_pence,
                    }
                    for v in views
                ],
                indent=2,
            )
        )
        return 0
    print(f"{venue.name} — {day:%A %d %B %Y}: {len(views)} bookings")
    for v in views:
        b = v.booking
        print(
            f"{venue.show_time(b.start):>9}  {b.reference}  {b.party_size:>2}  "
            f"{b.status.value:<10} {v.tables or '-':<8} {v.customer.name}"
        )
    return 0


def _acting(desk: Desk, username: str | None) -> Staff:
    if username is None:
        return next(s for s in desk.auth.staff() if s.role is Role.MANAGER)
    with desk.store.read() as reader:
        found = reader.staff.by_username(username)
    if found is None:
        raise DomainError(f"There is no member of staff '{username}'.")
    return found[0]


def _book(args: argparse.Namespace, db_path: Path) -> int:
    from app.services.booking_create import NewBooking

    desk = _desk(db_path)
    venue = desk.queries.venue().venue
    staff = _acting(desk, args.staff)
    cmd = NewBooking(
        name=args.name,
        phone=args.phone,
        party_size=args.party,
        start=parse_local(venue, args.at),
        duration_minutes=args.duration,
        email=args.email,
        occasion=args.occasion,
    )
    result = desk.create.create_booking(staff, cmd)
    b = result.booking
    tables = desk.queries.venue().plan.numbers(b.table_ids) if b.table_ids else ""
    if args.json:
        print(
            json.dumps(
                {
                    "reference": b.reference,
                    "status": b.status.value,
                    "tables": tables,
                    "combined": b.combined,
                    "deposit_pence": b.deposit_pence,
                    "message": result.message,
                }
            )
        )
    else:
        print(f"{b.reference}  {b.status.value}  {tables or '-'}  {result.message}")
    return 0


def _audit(args: argparse.Namespace, db_path: Path) -> int:
    from app.models.journal import verify_audit

    store = _store(db_path)
    with store.read() as reader:
        checked, broken = verify_audit(reader.session)
    if broken is not None:
        print(f"audit chain BROKEN at {broken}", file=sys.stderr)
        return 1
    print(f"audit chain intact: {checked} events verified")
    return 0


def _connect(args: argparse.Namespace, db_path: Path) -> int:
    import getpass

    from app.sync.client import SyncProblem
    from app.sync.link import connect

    _desk(db_path)
    password = (
        sys.stdin.readline().rstrip("\n")
        if args.password_stdin
        else getpass.getpass(f"Password for {args.user}: ")
    )
    try:
        reg = connect(_store(db_path), args.server, args.user, password)
    except SyncProblem as problem:
        raise DomainError(str(problem)) from None
    print(f"Connected this desk to {reg.server_url} (signed in as {reg.staff_name}).")
    return 0


def _sync(args: argparse.Namespace, db_path: Path) -> int:
    from app.sync.link import engine_for
    from app.sync.status import SyncState

    engine = engine_for(_store(db_path))
    if engine is None:
        raise DomainError("This desk is not connected to a server: backroom connect --server …")
    status = engine.sync_once()
    print(
        f"{status.state.value}: {status.pending} waiting to send, "
        f"{status.open_conflicts} conflicts. {status.detail}".strip()
    )
    return 0 if status.state is SyncState.UP_TO_DATE else 1


_COMMANDS = {
    "db": _db,
    "connect": _connect,
    "sync": _sync,
    "demo": _demo,
    "bookings": _bookings,
    "book": _book,
    "audit": _audit,
}


if __name__ == "__main__":
    sys.exit(main())
