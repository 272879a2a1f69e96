"""``backroom booking edit REF …``: change a booking from the command line, as the form does.
``backroom booking undo-cancel REF``: put back a booking this desk cancelled minutes ago.
``backroom booking confirm|seat|complete|no-show REF`` and ``cancel REF --reason …``: the
list's buttons, judged by the same use cases (a no-show only from the party's time on).
``backroom booking spend REF --amount 180.50``: what a seated or departed party spent.

A time change (a move, which must find its tables free), a change of details and a
change of the guest (name, phone, email) go in separate commands, so that a refused
part never leaves another part done.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.args import whole_number
from app.domain.booking import CANCEL_REASONS
from app.domain.errors import DomainError
from app.domain.text import shown
from app.domain.venue import parse_local

DETAILS = ("party", "occasion", "requests", "notes", "package")
STATUS = ("confirm", "seat", "complete", "no-show", "cancel")
GUEST = ("name", "phone", "email")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    booking = sub.add_parser("booking", help="change one booking, named by its reference")
    booking.add_argument("action", choices=["edit", "undo-cancel", "spend", *STATUS])
    booking.add_argument("reference", help="e.g. 8S0W-VKBZ-SXC (dashes and case do not matter)")
    booking.add_argument("--at", help='a new venue time, "YYYY-MM-DD HH:MM" (same tables)')
    booking.add_argument("--duration", type=whole_number, help="a new length in minutes")
    booking.add_argument("--party", type=whole_number, help="a new party size")
    booking.add_argument("--occasion")
    booking.add_argument("--requests", help="special requests")
    booking.add_argument("--notes")
    booking.add_argument("--package", help='a package by its id ("" takes it off)')
    booking.add_argument("--name", help="the guest's name (their other bookings show it too)")
    booking.add_argument("--phone", help="the guest's phone number, as staff type it")
    booking.add_argument("--email", help='the guest\'s email ("" removes it)')
    booking.add_argument(
        "--reason",
        choices=CANCEL_REASONS,
        help="cancel: why, as the desk's Cancel asks (a party that did not come is a no-show)",
    )
    booking.add_argument("--note", default="", help="cancel: a word more, e.g. 'rebooked for Sat'")
    booking.add_argument("--amount", help="spend: what the party spent, in pounds, e.g. 180.50")
    booking.add_argument("--staff", default=None, help="username acting (default: the manager)")


def booking_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import acting, open_desk_for

    moving = args.at is not None or args.duration is not None
    detailing = any(getattr(args, name) is not None for name in DETAILS)
    if args.action != "cancel" and (args.reason is not None or args.note):
        raise DomainError("--reason and --note go with cancel.")
    if (args.action == "spend") != (args.amount is not None):
        raise DomainError("spend takes --amount (in pounds, e.g. 180.50), and only spend does.")
    if args.action == "spend":
        if moving or detailing or _guest(args):
            raise DomainError("spend records what the party spent; it takes no other changes.")
        desk = open_desk_for(db_path, clock=args.clock)
        view = desk.queries.booking_by_reference(args.reference)
        result = desk.spend.record(acting(desk, args.staff), view.booking.id, args.amount)
        print(shown(result.message))
        return 0
    if args.action in STATUS:
        return _status(args, db_path, moving or detailing or _guest(args))
    if args.action == "undo-cancel":
        if moving or detailing or any(getattr(args, name) is not None for name in GUEST):
            raise DomainError("undo-cancel puts the booking back as it was; it takes no changes.")
        desk = open_desk_for(db_path, clock=args.clock)
        staff = acting(desk, args.staff)
        view = desk.queries.booking_by_reference(args.reference)
        print(shown(desk.lifecycle.undo_cancel(staff, view.booking.id).message))
        return 0
    guest = _guest(args)
    if not (moving or detailing or guest):
        raise DomainError(
            "Say what to change: --at, --duration, --party, --occasion, --requests, --notes, "
            "--package, --name, --phone or --email."
        )
    if moving + detailing + guest > 1:
        raise DomainError(
            "Change the time (--at, --duration), the details (--party, --occasion, --requests, "
            "--notes, --package) and the guest (--name, --phone, --email) in separate commands, "
            "so that one refused never leaves another done."
        )
    desk = open_desk_for(db_path, clock=args.clock)
    staff = acting(desk, args.staff)
    view = desk.queries.booking_by_reference(args.reference)
    b = view.booking
    if moving:
        venue = desk.queries.venue().venue
        start = parse_local(venue, args.at) if args.at is not None else None
        result = desk.edits.move(staff, b.id, b.table_ids, start, args.duration)
    elif guest:
        result = desk.guests.update(
            staff, view.customer.id, name=args.name, phone=args.phone, email=args.email
        )
    else:
        result = desk.edits.edit_details(
            staff,
            b.id,
            party_size=args.party,
            special_requests=args.requests,
            occasion=args.occasion,
            notes=args.notes,
            package_id=args.package,
        )
    print(shown(result.message))
    return 0


def _guest(args: argparse.Namespace) -> bool:
    return any(getattr(args, name) is not None for name in GUEST)


def _status(args: argparse.Namespace, db_path: Path, changing: bool) -> int:
    from app.cli.commands import acting, open_desk_for

    if changing:
        raise DomainError(f"{args.action} takes no changes; change a booking with edit.")
    if args.action == "cancel" and args.reason is None:
        raise DomainError(f"Say why: --reason {' | '.join(repr(r) for r in CANCEL_REASONS)}.")
    desk = open_desk_for(db_path, clock=args.clock)
    staff = acting(desk, args.staff)
    booking_id = desk.queries.booking_by_reference(args.reference).booking.id
    lifecycle = desk.lifecycle
    if args.action == "cancel":
        note = args.note.strip()
        result = lifecycle.cancel(
            staff, booking_id, f"{args.reason}: {note}" if note else args.reason
        )
    else:
        run = {
            "confirm": lifecycle.confirm,
            "seat": lifecycle.seat,
            "complete": lifecycle.complete,
            "no-show": lifecycle.no_show,
        }[args.action]
        result = run(staff, booking_id)
    print(shown(result.message))
    return 0
