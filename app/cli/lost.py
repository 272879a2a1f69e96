"""``backroom lost [list | enter REF… | enter --all | as-copy REF]``: after a server restore.

After `backroom sync --take-server` or `--rebuild` the desk's file as it was is kept
beside it; once the desk has synced, this lists the bookings of tonight and later that only
that copy holds and enters the chosen ones again with the references the guests were
given (app.services.lost_bookings; the window's Desk → Bookings the server lost…).
``as-copy REF`` makes a booking both hold as the copy has it (app.services.as_kept).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.text import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lost = sub.add_parser("lost", help="bookings a restored server lost: list, enter again")
    lost.add_argument("action", nargs="?", default="list", choices=["list", "enter", "as-copy"])
    lost.add_argument("references", nargs="*", help="enter, as-copy: the references, as listed")
    lost.add_argument("--all", action="store_true", help="enter: every booking listed")
    lost.add_argument("--staff", default=None, help="username acting (default: the manager)")


def lost_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import acting, open_desk_for

    if args.action == "list" and (args.references or args.all):
        raise DomainError("References and --all go with `backroom lost enter`.")
    if args.action == "enter" and bool(args.references) == args.all:
        raise DomainError("Say which bookings to enter again: references as listed, or --all.")
    if args.action == "as-copy" and (len(args.references) != 1 or args.all):
        raise DomainError("Say which one booking to make as in the copy: its reference, as listed.")
    desk = open_desk_for(db_path, clock=args.clock)
    night = desk.lost.lost()
    if args.action == "as-copy":
        differing = {_plain(c.reference): c.booking_id for c in night.changed}
        wanted = _plain(args.references[0])
        if wanted not in differing:
            raise DomainError(
                f"Not among the bookings that differ from the copy: {wanted}. "
                "`backroom lost` lists them."
            )
        print(shown(desk.as_kept.make_as_kept(acting(desk, args.staff), differing[wanted])))
        print("`backroom sync` sends it now.")
        return 0
    if args.action == "list":
        if night.copy is None:
            print("No copy is kept beside this desk's file: nothing to list.")
            return 0
        print(f"Of tonight and later, only in {night.copy}: {len(night.bookings)} booking(s).")
        for b in night.bookings:
            line = f"{b.reference}  {b.when}  {b.name} ({b.party_size}), {b.seating}, {b.status}"
            print(shown(line))
            if b.caution:
                print(shown(f"      Note: {b.caution}"))
        if night.bookings:
            print("Enter again: `backroom lost enter REF …` or `backroom lost enter --all`.")
        if night.changed:
            print(
                f"Different in the copy ({len(night.changed)}): a change the server lost, or "
                "one made since at another desk; check which is right, and if it is the "
                "copy's: `backroom lost as-copy REF`."
            )
            for c in night.changed:
                print(shown(f"{c.reference}  {c.when}  {c.name}: {'; '.join(c.differences)}"))
        return 0
    listed = {_plain(b.reference): b.booking_id for b in night.bookings}
    wanted = list(listed) if args.all else [_plain(r) for r in args.references]
    unknown = [r for r in wanted if r not in listed]
    if unknown:
        raise DomainError(
            f"Not among the bookings listed: {', '.join(unknown)}. `backroom lost` lists them."
        )
    staff, failed = acting(desk, args.staff), 0
    for reference in wanted:
        try:
            print(shown(desk.as_kept.enter_again(staff, listed[reference])))
        except DomainError as refused:
            failed += 1
            print(shown(f"Not entered: {reference}: {refused}"))
    if len(wanted) > failed:
        print("`backroom sync` sends them now.")
    return 1 if failed else 0


def _plain(reference: str) -> str:
    """A reference as typed or as listed: without its dashes and spaces, upper-case."""
    return "".join(c for c in reference if c.isalnum()).upper()
