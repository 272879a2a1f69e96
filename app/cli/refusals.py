"""``backroom refusals [list | retry N | discard N --yes]``: the server's refusals, put right.

N is the number each refusal is listed with (``#17``): the change's number on
this desk, which stays the same while other refusals are settled.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.args import whole_number
from app.domain.errors import DomainError
from app.domain.text import shown

if TYPE_CHECKING:
    from app.services.desk import Desk


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    refusals = sub.add_parser("refusals", help="changes the server refused: list, retry, discard")
    refusals.add_argument("action", nargs="?", default="list", choices=["list", "retry", "discard"])
    refusals.add_argument(
        "number", nargs="?", type=whole_number, help="the refusal's number, as listed"
    )
    refusals.add_argument("--yes", action="store_true", help="discard: yes, discard it")
    refusals.add_argument("--staff", default=None, help="username acting (default: the manager)")


def refusals_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import acting, open_desk_for

    if args.action != "list" and args.number is None:
        raise DomainError(f"Say which refusal to {args.action}: backroom refusals {args.action} N.")
    desk = open_desk_for(db_path)
    if args.action == "list":
        return _list(desk)
    staff = acting(desk, args.staff)
    if args.action == "retry":
        said = desk.refusals.retry(staff, args.number).message
        print(shown(f"{said} `backroom sync` sends it now."))
        return 0
    refusal = desk.refusals.get(args.number)
    if not args.yes:
        what = "The booking leaves this desk" if refusal.creation else "Nothing is sent"
        raise DomainError(
            f"Discard #{refusal.device_seq}, {refusal.what}? {what}; this cannot be undone. "
            "Add --yes to discard it."
        )
    print(shown(desk.refusals.discard(staff, args.number).message))
    return 0


def _list(desk: Desk) -> int:
    refusals = desk.refusals.open()
    venue = desk.queries.venue().venue
    _elsewhere(desk)
    if not refusals:
        print("No refused changes on this desk.")
        return 0
    noun = "change" if len(refusals) == 1 else "changes"
    print(f"{len(refusals)} refused {noun}:")
    for r in refusals:
        when = venue.show_day_time(r.received_at)
        print(shown(f"#{r.device_seq}  {r.what} (refused {when})"))
        print(shown(f"      Reason: {r.reason or 'the server gave no reason.'}"))
        if r.retry_blocked:
            print(shown(f"      Retry: {r.retry_blocked}"))
    print("Retry: `backroom refusals retry N`. Discard: `backroom refusals discard N --yes`.")
    return 0


def _elsewhere(desk: Desk) -> None:
    """Other desks' refused changes: shown here, put right at the desk that made them."""
    others = desk.refusals.elsewhere()
    if not others:
        return
    venue = desk.queries.venue().venue
    noun = "change" if len(others) == 1 else "changes"
    print(f"{len(others)} refused {noun} made at other desks (put right there):")
    for r in others:
        print(shown(f"  At {r.desk}: {r.what} (refused {venue.show_day_time(r.refused_at)})"))
        print(shown(f"      Reason: {r.reason or 'the server gave no reason.'}"))
