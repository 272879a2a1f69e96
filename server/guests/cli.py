"""A guest's data-protection requests on the server's command line
(docs/data-protection.md): ``backroom-server guest-data --venue ID --phone|--email|
--reference … --by NAME`` writes everything the server holds about them as JSON;
``guest-erase … --yes`` forgets them."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.data_requests import GuestKey

VenueSession = Callable[[uuid.UUID], contextlib.AbstractContextManager["Session"]]


def add_guests_command(commands: Any, venue_session: VenueSession) -> None:
    data = commands.add_parser(
        "guest-data", help="everything held about one guest, as JSON (a data-protection request)"
    )
    _key_arguments(data)
    data.add_argument(
        "--out", type=Path, help="write it to this new file (readable by you alone), not stdout"
    )
    data.set_defaults(run=lambda args: guest_data(args, venue_session))
    erase = commands.add_parser(
        "guest-erase", help="forget one guest at their request (cannot be undone)"
    )
    _key_arguments(erase)
    erase.add_argument("--yes", action="store_true", help="yes: erase them; it cannot be undone")
    erase.set_defaults(run=lambda args: guest_erase(args, venue_session))


def _key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--venue", type=uuid.UUID, required=True)
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--phone", help="the phone they booked with, as they give it")
    key.add_argument("--email", help="the email they booked with")
    key.add_argument("--reference", help="one of their bookings' references")
    parser.add_argument("--by", required=True, help="who is answering the request, for the record")


def _key(args: argparse.Namespace) -> GuestKey:
    from app.domain.data_requests import guest_key

    try:
        return guest_key(phone=args.phone, email=args.email, reference=args.reference)
    except InvalidInput as bad:
        sys.exit(f"backroom-server: {bad}")


def guest_data(args: argparse.Namespace, venue_session: VenueSession) -> None:
    from server.guests.requests import answer

    key = _key(args)
    from app.domain.data_summary import page_for

    pages = [] if args.out is None else [args.out, page_for(args.out)]
    for path in pages:
        if path.exists():
            sys.exit(f"backroom-server: {path} exists already; name a new file.")
    with venue_session(args.venue) as session:
        try:
            document = answer(session, args.venue, key, asked_by=args.by, now=datetime.now(UTC))
        except NotFound as missing:
            sys.exit(f"backroom-server: {missing}")
        text = document.model_dump_json(indent=2) + "\n"
        if args.out is None:
            sys.stdout.write(text)
        else:
            try:
                for path, written in zip(pages, (text, document.summary), strict=True):
                    _write_private(path, written)
            except OSError as failed:  # nothing is recorded as given: no commit
                sys.exit(f"backroom-server: {args.out} could not be written ({failed.strerror}).")
        session.commit()  # recorded as given only once it was written
    rows = sum(len(r) for r in document.tables.values())
    where = "" if args.out is None else f" to {args.out}, and in words to {pages[1]}"
    print(
        f"Wrote {rows} rows about {len(document.guest_ids)} guest record(s) found by {key}{where}.",
        file=sys.stderr,
    )


def _write_private(path: Path, text: str) -> None:
    """A guest's data, so nobody else on the machine may read the file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def guest_erase(args: argparse.Namespace, venue_session: VenueSession) -> None:
    from server.guests.erase import NotYet, erase

    key = _key(args)
    if not args.yes:
        sys.exit(
            f"backroom-server: erasing the guest with the {key} cannot be undone; "
            "add --yes to erase them."
        )
    with venue_session(args.venue) as session:
        try:
            done = erase(session, args.venue, key, asked_by=args.by, now=datetime.now(UTC))
        except (NotFound, NotYet) as refused:
            sys.exit(f"backroom-server: {refused}")
        session.commit()
    rows = ", ".join(f"{table} {n}" for table, n in done.rows.items())
    print(f"Erased {len(done.guest_ids)} guest record(s) found by {key}: {rows}.")
    if cards := done.rows.get("stripe_customer_deletions"):
        print(
            f"Their {cards} saved-card customer(s) at Stripe are deleted by the server's next "
            "payments reconciliation (now: backroom-server payments reconcile)."
        )
