"""``backroom init``: a new desk's first run from the command line, as the window asks it.

``--demo`` is the only way the demo venue, its staff and night get into a desk;
``--venue NAME --plan FILE --hours … --admin USER`` sets a real venue up (the PIN
is asked twice, or read from standard input with ``--pin-stdin``). Connecting to
a venue's server is ``backroom connect``. A refused init writes nothing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.text import shown
from app.domain.venue_setup import HOURS_EXAMPLE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser(
        "init", help="set up a new desk: the demo, or your venue (connect: see 'connect')"
    )
    init.add_argument("--demo", action="store_true", help="The Backroom demo venue and a night")
    init.add_argument("--venue", help="your venue's name")
    init.add_argument(
        "--plan",
        type=Path,
        help="a plan file of areas, tables and combinations like resources/backroom.json "
        "(default: one empty room, to draw in the floor editor)",
    )
    init.add_argument("--hours", help=f'opening hours, e.g. "{HOURS_EXAMPLE}"')
    init.add_argument("--admin", help="the first admin's username (they sign in with a PIN)")
    init.add_argument("--admin-name", help="the first admin's name (default: the username)")
    init.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the admin's PIN from standard input instead of asking twice",
    )


def init_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.models.uow import Store
    from app.services.common import system_clock
    from app.services.first_run import FirstRun

    venue_given = any(v is not None for v in (args.venue, args.plan, args.hours, args.admin))
    if args.demo == venue_given:
        raise DomainError(
            "Say what this desk is: --demo, or --venue NAME --hours … --admin USER [--plan FILE]."
        )
    if args.demo:
        night = FirstRun(Store(db_path, create=True), system_clock).try_demo()
        made = 0 if night is None else night.created
        print(f"Seeded The Backroom demo: {made} bookings. Demo PINs are shown at sign-in.")
        return 0
    return _set_up(args, db_path)


def _set_up(args: argparse.Namespace, db_path: Path) -> int:
    from app.domain.venue_setup import check_first_admin, new_venue_data, parse_hours
    from app.models.uow import Store
    from app.services.common import system_clock
    from app.services.first_run import FirstAdmin, FirstRun, read_plan_file

    missing = [f"--{n}" for n in ("venue", "hours", "admin") if getattr(args, n) is None]
    if missing:
        raise DomainError(f"Setting up a venue needs {', '.join(missing)} as well.")
    # Everything typed is checked before the desk file is made.
    hours = parse_hours(args.hours)
    plan = read_plan_file(args.plan) if args.plan is not None else None
    if plan is not None:
        new_venue_data(args.venue, hours, plan)
    if args.pin_stdin:
        pin = again = sys.stdin.readline().rstrip("\n")
    else:
        pin = getpass.getpass(f"PIN for {args.admin} (4-8 digits): ")
        again = getpass.getpass("The same PIN again: ")
    admin = FirstAdmin(args.admin, args.admin_name or args.admin, pin, again)
    check_first_admin(admin.username, admin.name, admin.pin, admin.again)
    first = FirstRun(Store(db_path, create=True), system_clock)
    done = first.set_up_venue(args.venue, hours, plan, admin)
    print(
        f"Set up {shown(done.venue_name)}: {done.tables} tables; {done.admin} (admin) signs in "
        "at the desk with the PIN just given."
    )
    return 0
