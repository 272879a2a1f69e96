"""The command line's commands; each opens the desk it needs and prints what happened.

Only ``demo`` and ``db upgrade --create`` make a new desk file; every other
command opens an existing one (``create=False``), so a mistyped ``--db`` is
refused instead of silently becoming an empty desk.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from app.domain.errors import DomainError
from app.domain.permissions import Role, Staff
from app.domain.references import format_reference
from app.domain.text import shown
from app.domain.venue import LONDON, parse_local

if TYPE_CHECKING:  # imported lazily at run time so `backroom --help` stays fast
    from app.models.uow import Store
    from app.services.common import Clock
    from app.services.desk import Desk


def _store(db_path: Path, *, create: bool = False) -> Store:
    from app.models.uow import Store

    return Store(db_path, create=create)


def open_desk_for(db_path: Path, *, create: bool = False, clock: Clock | None = None) -> Desk:
    """The desk at ``db_path``; one with no venue yet is refused with how to set it up."""
    from app.services.common import system_clock
    from app.services.compose import NotSetUp
    from app.services.desk import Desk
    from app.services.first_run import FirstRun

    clock = clock or system_clock
    store = _store(db_path, create=create)
    if FirstRun(store, clock).needed():
        store.close()
        raise NotSetUp()
    return Desk(store, clock)


def _db(args: argparse.Namespace, db_path: Path) -> int:
    if args.action == "upgrade":
        from app.services.common import system_clock
        from app.services.first_run import FirstRun

        fresh = FirstRun(_store(db_path, create=args.create), system_clock).needed()
        print(f"{db_path}: schema is up to date")
        if fresh:
            print("This desk has no venue yet: backroom init --demo, init --venue …, or connect.")
        return 0
    if args.action == "backups":
        return _list_backups(db_path)
    if args.target is None:
        raise DomainError(f"Name the backup file: backroom db {args.action} PATH")
    if args.action == "restore":
        return _restore(db_path, args.target)
    from app.models.backup import backup

    pages = backup(db_path, args.target)
    print(f"Backed up {db_path} to {args.target} ({pages} pages, integrity ok)")
    return 0


def _list_backups(db_path: Path) -> int:
    from app.services.backups import AutoBackups

    auto = AutoBackups.for_desk(db_path)
    taken = auto.existing()
    if not taken:
        print(f"No automatic backups of {db_path} in {auto.folder} yet.")
        return 0
    for at, path in sorted(taken.items(), reverse=True):
        print(f"{at.astimezone(ZoneInfo(LONDON)):%a %d %b %Y %H:%M}  {path}")
    return 0


def _restore(db_path: Path, source: Path) -> int:
    from app.config import default_db_path
    from app.services.backups import AutoBackups

    if not db_path.parent.is_dir():
        if db_path != default_db_path():
            raise DomainError(f"The folder {db_path.parent} does not exist; check --db.")
        db_path.parent.mkdir(parents=True)  # a new computer's first desk, from a backup
    restored = AutoBackups.for_desk(db_path).restore(source)
    n = restored.bookings
    print(f"Restored {db_path} from {source} ({n} booking{'' if n == 1 else 's'}).")
    if restored.aside is not None:
        print(f"The file as it was is kept as {restored.aside}.")
    return 0


def _demo(args: argparse.Namespace, db_path: Path) -> int:
    from app.services.common import system_clock
    from app.services.first_run import FirstRun

    # The demo goes only into a desk with no venue yet: never into a real or connected one.
    first = FirstRun(_store(db_path, create=True), args.clock or system_clock)
    night = first.try_demo(history=args.history) if first.needed() else None
    if night is None:
        print(f"{db_path} already has its venue; nothing seeded.")
    else:
        print(f"Seeded The Backroom: {night.created} bookings ({night.waitlisted} waitlisted).")
    return 0


def _bookings(args: argparse.Namespace, db_path: Path) -> int:
    desk = open_desk_for(db_path, clock=args.clock)
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
                        "deposit_policy_version": v.booking.deposit_policy_version,
                        "minimum_spend_pence": v.spend.minimum_pence,
                        "spend_pence": v.booking.spend_pence,
                        "package_id": v.booking.package_id,
                        "package_pence": v.booking.package_pence,
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
            f"{venue.show_time(b.start):>9}  {format_reference(b.reference)}  {b.party_size:>2}  "
            f"{b.status.value:<10} {v.tables or '-':<8} {shown(v.customer.name)}"
            + (f"  ◆ {v.package}" if v.package else "")
        )
    return 0


def acting(desk: Desk, username: str | None) -> Staff:
    if username is None:
        # Whoever runs the desk's command line stands for its manager (or its admin).
        for role in (Role.MANAGER, Role.ADMIN):
            found = next((s for s in desk.auth.staff() if s.role is role), None)
            if found is not None:
                return found
        raise DomainError("This desk has no manager; name who is booking: --staff USERNAME.")
    with desk.store.read() as reader:
        found = reader.staff.by_username(username)
    if found is None:
        raise DomainError(f"There is no member of staff '{shown(username)}'.")
    return found[0]


def _book(args: argparse.Namespace, db_path: Path) -> int:
    from app.services.booking_create import GuestChoice, NewBooking, SamePhoneOtherName

    desk = open_desk_for(db_path, clock=args.clock)
    venue = desk.queries.venue().venue
    staff = acting(desk, args.staff)
    cmd = NewBooking(
        name=args.name,
        phone=args.phone,
        party_size=args.party,
        start=parse_local(venue, args.at),
        duration_minutes=args.duration,
        email=args.email,
        occasion=args.occasion,
        guest=GuestChoice(args.guest) if args.guest else None,
        record_past=args.record_past,
        package_id=args.package or None,
    )
    try:
        result = desk.create.create_booking(staff, cmd)
    except SamePhoneOtherName as asked:
        raise DomainError(
            f"{asked} Say which with --guest known (book for the guest the number belongs "
            "to) or --guest new (a new guest with this name on the same number)."
        ) from None
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
                    "deposit_policy_version": b.deposit_policy_version,
                    "package_id": b.package_id,
                    "package_pence": b.package_pence,
                    "guest": result.customer.name,
                    "message": result.message,
                }
            )
        )
    else:
        ref = format_reference(b.reference)
        print(f"{ref}  {b.status.value}  {tables or '-'}  {shown(result.message)}")
    return 0


def _audit(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.audit import verify

    return verify(db_path)


def _connect(args: argparse.Namespace, db_path: Path) -> int:
    import getpass

    from app.services.common import system_clock
    from app.services.first_run import FirstRun
    from app.sync.first_connect import Choice

    first = FirstRun(_store(db_path), args.clock or system_clock)
    password = (
        sys.stdin.readline().rstrip("\n")
        if args.password_stdin
        else getpass.getpass(f"Password for {args.user}: ")
    )
    pin: tuple[str, str] | None = None
    if first.needed():
        if args.pin_stdin:
            typed = sys.stdin.readline().rstrip("\n")
            pin = (typed, typed)
        elif not args.password_stdin:
            pin = (
                getpass.getpass(
                    f"Your PIN for signing in at this desk, {args.user} (4-8 digits): "
                ),
                getpass.getpass("The same PIN again: "),
            )
    choice = Choice.UPLOAD if args.upload else Choice.TAKE_SERVER if args.take_server else None
    done = first.connect(
        db_path, args.server, args.user, password, choice=choice, pin=pin, venue=args.venue
    )
    for line in done.said:
        print(shown(line))
    return 0


def _sync(args: argparse.Namespace, db_path: Path) -> int:
    from app.sync.link import engine_for
    from app.sync.status import SyncState

    if args.rebuild and args.take_server:
        raise DomainError("Choose one: --rebuild or --take-server.")
    if args.rebuild:
        _rebuild(args, db_path)
    elif args.take_server:
        _take_server(db_path)
    elif args.user or args.password_stdin:
        raise DomainError("--user and --password-stdin go with --rebuild.")
    store = _store(db_path)
    engine = None if _is_new(store) else engine_for(store)
    if engine is None:
        raise DomainError("This desk is not connected to a server: backroom connect --server …")
    status = engine.sync_once()
    print(
        f"{status.state.value}: {status.pending} waiting to send, "
        f"{status.open_conflicts} conflicts. {status.detail}".strip()
    )
    for notice in status.notices:
        print(f"Warning: {notice.text}" if notice.warning else notice.text)
    return 0 if status.state is SyncState.UP_TO_DATE else 1


def _rebuild(args: argparse.Namespace, db_path: Path) -> None:
    import getpass
    from datetime import UTC, datetime

    import httpx

    from app.services.desk_repair import rebuilt_words
    from app.sync.client import TIMEOUT, SyncProblem
    from app.sync.link import server_of
    from app.sync.rebuild import rebuild_from_server

    if not args.user:
        raise DomainError("Rebuilding needs a manager's sign-in: --user NAME.")
    store = _store(db_path)
    server_url = None if _is_new(store) else server_of(store)[1]
    if not server_url:
        raise DomainError(
            "This desk is not connected to a server, so there is nothing to rebuild from."
        )
    password = (
        sys.stdin.readline().rstrip("\n")
        if args.password_stdin
        else getpass.getpass(f"Password for {args.user}: ")
    )
    try:
        with httpx.Client(base_url=server_url, timeout=TIMEOUT) as http:
            done = rebuild_from_server(store, db_path, http, args.user, password, datetime.now(UTC))
    except SyncProblem as problem:
        raise DomainError(f"{problem} Nothing on this desk was changed.") from None
    for line in rebuilt_words(done):
        print(shown(line))


def _take_server(db_path: Path) -> None:
    from datetime import UTC, datetime

    from app.services.desk_repair import retaken_words
    from app.sync.link import server_of
    from app.sync.retake import take_servers_night

    store = _store(db_path)
    if _is_new(store) or not server_of(store)[1]:
        raise DomainError("This desk is not connected to a server, so there is nothing to take.")
    for line in retaken_words(take_servers_night(store, db_path, datetime.now(UTC))):
        print(line)


def _is_new(store: Store) -> bool:
    """A desk with no venue yet (so no identity and no server either)."""
    from app.services.common import system_clock
    from app.services.first_run import FirstRun

    return FirstRun(store, system_clock).needed()


def _booking(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.booking import booking_command

    return booking_command(args, db_path)


def _staff(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.staff import staff_command

    return staff_command(args, db_path)


def _lost(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.lost import lost_command

    return lost_command(args, db_path)


def _refusals(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.refusals import refusals_command

    return refusals_command(args, db_path)


def _deposits(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.deposits import deposits_command

    return deposits_command(args, db_path)


def _plan(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.plan import plan_command

    return plan_command(args, db_path)


def _report(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.report import report_command

    return report_command(args, db_path)


def _guest(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.guests import guest_command

    return guest_command(args, db_path)


def _init(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.init import init_command

    return init_command(args, db_path)


COMMANDS = {
    "init": _init,
    "db": _db,
    "connect": _connect,
    "sync": _sync,
    "demo": _demo,
    "bookings": _bookings,
    "book": _book,
    "booking": _booking,
    "staff": _staff,
    "audit": _audit,
    "refusals": _refusals,
    "lost": _lost,
    "deposits": _deposits,
    "plan": _plan,
    "report": _report,
    "guest": _guest,
}
