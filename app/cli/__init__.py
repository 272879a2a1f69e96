"""``backroom``: the desk (no arguments) and a small command line for headless use.

``main`` is the boundary where every refusal and every fault of the desk's file
becomes one plain line on standard error and an exit code (2: refused as
asked, 3: the file or its disk is at fault); a command never catches them itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from app.cli.args import night_date, whole_number
from app.cli.booking import add_parser as add_booking_parser
from app.cli.commands import COMMANDS
from app.cli.deposits import add_parser as add_deposits_parser
from app.cli.guests import add_parser as add_guests_parser
from app.cli.init import add_parser as add_init_parser
from app.cli.lost import add_parser as add_lost_parser
from app.cli.plan import add_parser as add_plan_parser
from app.cli.refusals import add_parser as add_refusals_parser
from app.cli.report import add_parser as add_report_parser
from app.cli.staff import add_parser as add_staff_parser
from app.config import default_db_path
from app.domain.errors import DomainError, InvalidFields

REFUSED = 2
FAULT = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backroom", description="The Backroom venue desk.")
    parser.add_argument(
        "--db", type=Path, help="database file (default: $BACKROOM_DB or the user data directory)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this computer can run the desk (on a throwaway desk) and exit",
    )
    sub = parser.add_subparsers(dest="command")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade", "backup", "backups", "restore"])
    db.add_argument(
        "target",
        nargs="?",
        type=Path,
        help="backup: the file to write; restore: the backup to put back (the current file "
        "is kept aside first); backups lists the automatic ones",
    )
    db.add_argument(
        "--create", action="store_true", help="upgrade: make a new desk if there is none yet"
    )
    demo = sub.add_parser("demo", help="seed The Backroom demo venue and a demo night")
    demo.add_argument(
        "--history",
        action="store_true",
        help="past nights too, for the night review (they stay on this desk: not uploaded)",
    )
    add_init_parser(sub)
    bookings = sub.add_parser("bookings", help="bookings of a service day")
    bookings.add_argument("action", choices=["list"], nargs="?", default="list")
    bookings.add_argument(
        "--date", type=night_date, help="service day, YYYY-MM-DD (default: tonight)"
    )
    bookings.add_argument("--json", action="store_true")
    book = sub.add_parser("book", help="book a party")
    book.add_argument("--name", required=True)
    book.add_argument("--phone", required=True)
    book.add_argument("--party", type=whole_number, required=True)
    book.add_argument("--at", required=True, help='venue time, "YYYY-MM-DD HH:MM"')
    book.add_argument("--duration", type=whole_number, help="minutes (default: by party size)")
    book.add_argument("--email")
    book.add_argument("--occasion", default="")
    book.add_argument(
        "--package", help="a package the party pre-orders, by its id (backroom deposits policy)"
    )
    book.add_argument("--staff", default=None, help="username acting (default: the manager)")
    book.add_argument(
        "--guest",
        choices=["known", "new"],
        help="when the phone is a known guest's under another name: book for that guest "
        "(known) or add a new guest with this name on the same phone (new)",
    )
    book.add_argument(
        "--record-past",
        action="store_true",
        help="a manager writes up a booking whose time has passed (after an outage)",
    )
    book.add_argument("--json", action="store_true")
    add_booking_parser(sub)
    add_staff_parser(sub)
    add_refusals_parser(sub)
    add_lost_parser(sub)
    add_deposits_parser(sub)
    add_guests_parser(sub)
    add_plan_parser(sub)
    add_report_parser(sub)
    connect = sub.add_parser("connect", help="connect this desk to a central server")
    connect.add_argument("--server", required=True, help="the server's address, https://…")
    connect.add_argument("--user", required=True, help="a manager's or admin's username")
    connect.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    connect.add_argument(
        "--pin-stdin",
        action="store_true",
        help="a new desk: read your PIN for this desk from standard input (the line after the "
        "password with --password-stdin) instead of prompting",
    )
    connect.add_argument("--venue", help="a new desk: the venue's name, if the server has several")
    night = connect.add_mutually_exclusive_group()
    night.add_argument(
        "--upload",
        action="store_true",
        help="a desk that holds bookings: send its night (its staff are created on the server)",
    )
    night.add_argument(
        "--take-server",
        action="store_true",
        help="a desk that holds bookings: take the server's night (this desk's is kept in files)",
    )
    sync = sub.add_parser("sync", help="sync once with the server now and say how it went")
    sync.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild this desk from the server (a file behind the server, e.g. restored "
        "from an older backup); its unsent changes and a full copy are kept in files first",
    )
    sync.add_argument(
        "--take-server",
        action="store_true",
        help="take the server's night again after its operator restored it from a backup; "
        "a full copy of this file is kept first, and this desk's unsent changes are sent",
    )
    sync.add_argument("--user", help="with --rebuild: a manager's or admin's username")
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help="with --rebuild: read the password from standard input instead of prompting",
    )
    audit = sub.add_parser("audit", help="audit log")
    audit.add_argument("action", nargs="?", default="verify", choices=["verify"])
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Callable[[], datetime] | None = None) -> int:
    """``clock``: what "now" is (the system's by default; tests pass a fixed one)."""
    _ensure_streams()
    args = _parser().parse_args(argv)
    args.clock = clock
    from app.config import log_dir
    from app.services.diagnostics import start_logging

    start_logging(log_dir())
    if args.self_test:
        from app.cli.self_test import self_test

        return self_test()
    # A path someone typed (or set) is never made into a new desk by accident.
    explicit = args.db is not None or bool(os.environ.get("BACKROOM_DB"))
    db_path: Path = args.db or default_db_path()
    try:
        if args.command is None:
            from app.config import demo_requested
            from app.views.app import run_desk

            return run_desk(db_path, create=not explicit, demo=demo_requested())
        code = COMMANDS[args.command](args, db_path)
        sys.stdout.flush()  # a reader gone away is found here, not at the interpreter's exit
        return code
    except BrokenPipeError:
        # The reader went away (`bookings list | head`): stop quietly, as a pipe expects.
        _silence_stdout()
        return 1
    except InvalidFields as error:
        for field, message in error.errors.items():
            print(f"error: {field}: {message}", file=sys.stderr)
        return REFUSED
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return FAULT if _is_fault(error) else REFUSED
    except Exception as error:
        from app.models.faults import explain

        fault = explain(error, db_path)
        if fault is None:
            raise
        print(f"error: {fault}", file=sys.stderr)
        return FAULT


def _ensure_streams() -> None:
    """Give a program started without a console (a windowed bundle, a shortcut) somewhere to
    write: there ``sys.stdout`` and ``sys.stderr`` are None and a ``print`` would raise."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _is_fault(error: DomainError) -> bool:
    from app.models.faults import StoreFault

    return isinstance(error, StoreFault)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's own flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
