"""``backroom-server guest-data --venue ID --phone|--email|--reference … --by NAME``:
everything the server holds about a guest, as JSON, for their data-protection request
(docs/data-protection.md)."""

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

VenueSession = Callable[[uuid.UUID], contextlib.AbstractContextManager["Session"]]


def add_guests_command(commands: Any, venue_session: VenueSession) -> None:
    data = commands.add_parser(
        "guest-data", help="everything held about one guest, as JSON (a data-protection request)"
    )
    data.add_argument("--venue", type=uuid.UUID, required=True)
    key = data.add_mutually_exclusive_group(required=True)
    key.add_argument("--phone", help="the phone they booked with, as they give it")
    key.add_argument("--email", help="the email they booked with")
    key.add_argument("--reference", help="one of their bookings' references")
    data.add_argument("--by", required=True, help="who is answering the request, for the record")
    data.add_argument(
        "--out", type=Path, help="write it to this new file (readable by you alone), not stdout"
    )
    data.set_defaults(run=lambda args: guest_data(args, venue_session))


def guest_data(args: argparse.Namespace, venue_session: VenueSession) -> None:
    from app.domain.data_requests import guest_key
    from server.guests.requests import answer

    try:
        key = guest_key(phone=args.phone, email=args.email, reference=args.reference)
    except InvalidInput as bad:
        sys.exit(f"backroom-server: {bad}")
    if args.out is not None and args.out.exists():
        sys.exit(f"backroom-server: {args.out} exists already; name a new file.")
    with venue_session(args.venue) as session:
        try:
            document = answer(session, args.venue, key, asked_by=args.by, now=datetime.now(UTC))
        except NotFound as missing:
            sys.exit(f"backroom-server: {missing}")
        text = document.model_dump_json(indent=2) + "\n"
        if args.out is None:
            sys.stdout.write(text)
        else:
            _write_private(args.out, text)
        session.commit()  # recorded as given only once it was written
    rows = sum(len(r) for r in document.tables.values())
    where = "" if args.out is None else f" to {args.out}"
    print(
        f"Wrote {rows} rows about {len(document.guest_ids)} guest record(s) found by {key}{where}.",
        file=sys.stderr,
    )


def _write_private(path: Path, text: str) -> None:
    """A guest's data, so nobody else on the machine may read the file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
