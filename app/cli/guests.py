"""``backroom guest data|erase --phone|--email|--reference … --user ADMIN``: a guest's
data-protection request, answered by the server for an admin (docs/data-protection.md).

The admin's server password is typed at a hidden prompt, or read from standard input
with ``--password-stdin``; it is never an argument. ``data`` writes the JSON to a new file
readable by its owner alone (or to standard output); ``erase`` asks for ``--yes``, and
then syncs this desk at once, so it forgets the guest now. On a desk with no server,
both work on the desk's own file (all the venue holds) with the admin's PIN: ``erase``
forgets the guest there, unsent changes included.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.data_requests import guest_key
from app.domain.data_summary import page_for
from app.domain.errors import DomainError
from app.domain.text import shown

if TYPE_CHECKING:
    from app.models.uow import Store


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    guest = sub.add_parser(
        "guest", help="a guest's data-protection request: their data, or forgetting them"
    )
    guest.add_argument("action", choices=["data", "erase"])
    key = guest.add_mutually_exclusive_group(required=True)
    key.add_argument("--phone", help="the phone they booked with, as they give it")
    key.add_argument("--email", help="the email they booked with")
    key.add_argument("--reference", help="one of their bookings' references")
    guest.add_argument(
        "--user", required=True, help="an admin's username (on the server, if connected)"
    )
    guest.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the server password (on a desk with no server: your PIN) from standard input",
    )
    guest.add_argument("--out", type=Path, help="data: write it to this new file, not stdout")
    guest.add_argument("--yes", action="store_true", help="erase: yes, it cannot be undone")


def guest_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import open_desk_for
    from app.domain.staff import normalise_username
    from app.models.uow import Store
    from app.services.common import system_clock
    from app.services.data_requests import GuestRequests, erased_words, save_data

    key = guest_key(phone=args.phone, email=args.email, reference=args.reference)
    if args.action == "erase" and not args.yes:
        raise DomainError(f"Erasing the guest with the {key} cannot be undone; add --yes.")
    if args.action == "data" and args.out is not None:
        for path in (args.out, page_for(args.out)):
            if path.exists():
                raise DomainError(f"{path} exists already; name a new file.")
    store = Store(db_path)
    requests = GuestRequests(store, args.clock or system_clock)
    connected = requests.connected()
    secret = "Server password" if connected else "PIN"
    password = (
        sys.stdin.readline().rstrip("\n")
        if args.password_stdin
        else getpass.getpass(f"{secret} for {args.user}: ")
    )
    if args.action == "data":
        if connected:
            data = requests.data(key, args.user, password)
        else:
            admin = open_desk_for(db_path).auth.sign_in(normalise_username(args.user), password)
            data = requests.local_data(admin, key)
        if args.out is None:
            sys.stdout.write(data.model_dump_json(indent=2) + "\n")
            rows, where = sum(len(r) for r in data.tables.values()), ""
        else:
            try:
                rows = save_data(data, args.out)
                where = f" to {args.out}, and in words to {page_for(args.out)}"
            except OSError as failed:
                raise DomainError(f"{args.out} could not be written ({failed.strerror}).") from None
        print(
            f"Wrote {rows} rows about the guest found by {shown(str(key))}{where}.", file=sys.stderr
        )
        return 0
    if not connected:
        admin = open_desk_for(db_path, clock=args.clock).auth.sign_in(
            normalise_username(args.user), password
        )
        done = requests.erase_here(admin, key)
        print(erased_words(done, here=True))
        return 0
    done = requests.erase(key, args.user, password)
    rows_changed = ", ".join(f"{table} {n}" for table, n in done.rows.items())
    print(
        f"Erased {len(done.guest_ids)} guest record(s) found by {shown(str(key))}: {rows_changed}."
    )
    return _forget_here(store)


def _forget_here(store: Store) -> int:
    """Sync now, so this desk scrubs its own copies at once (the others at their next)."""
    from app.sync.link import engine_for
    from app.sync.status import SyncState

    engine = engine_for(store)
    status = engine.sync_once() if engine is not None else None
    if status is None or status.state is not SyncState.UP_TO_DATE:
        print("This desk forgets them at its next sync; so does every other desk.")
        return 0
    print("This desk has forgotten them; every other desk does at its next sync.")
    return 0
