"""``backroom-server venue deposit-policy show|set FILE.json``: a venue's deposit policy,
set where it is authoritative (docs/payments.md, "Deposit policy")."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

VenueSession = Callable[[uuid.UUID], contextlib.AbstractContextManager["Session"]]


def add_venue_command(commands: Any, venue_session: VenueSession) -> None:
    venue = commands.add_parser("venue", help="a venue's settings")
    sub = venue.add_subparsers(dest="venue_command", required=True)
    policy = sub.add_parser(
        "deposit-policy", help="show the venue's deposit policy, or set a new version from a file"
    )
    policy.add_argument("action", choices=["show", "set"])
    policy.add_argument("file", nargs="?", type=Path, help="set: the policy as JSON")
    policy.add_argument("--venue", type=uuid.UUID, required=True)
    policy.add_argument("--json", action="store_true", help="show: the policy as JSON")
    policy.add_argument(
        "--by", default="an admin (backroom-server)", help="set: who set it, for the record"
    )
    policy.set_defaults(run=lambda args: deposit_policy(args, venue_session))


def deposit_policy(args: argparse.Namespace, venue_session: VenueSession) -> None:
    if args.action == "set":
        if args.file is None:
            sys.exit("backroom-server: give the policy file: venue deposit-policy set FILE.json")
        _set(args, venue_session)
    else:
        _show(args, venue_session)


def _show(args: argparse.Namespace, venue_session: VenueSession) -> None:
    from app.domain.deposit_policy_data import deposit_policy_to_dict, policy_words
    from server.venues.policy import current_policy, history

    with venue_session(args.venue) as session:
        policy = current_policy(session, args.venue)
        versions = history(session, args.venue)
    if args.json:
        print(json.dumps(deposit_policy_to_dict(policy), indent=2))
        return
    print("\n".join(policy_words(policy)))
    for v in versions:
        print(f"  version {v.policy_version}: set {v.set_at:%Y-%m-%d %H:%M} UTC by {v.set_by}")


def _set(args: argparse.Namespace, venue_session: VenueSession) -> None:
    from app.domain.deposit_policy_data import policy_words
    from server.clock import SystemClock
    from server.venues.policy import set_policy

    try:
        data = json.loads(args.file.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        sys.exit(f"backroom-server: cannot read {args.file}: {error}; nothing was changed.")
    with venue_session(args.venue) as session:
        try:
            done = set_policy(session, args.venue, data, set_by=args.by, now=SystemClock().now())
        except InvalidInput as refused:
            sys.exit(f"backroom-server: {args.file}: {refused} Nothing was changed.")
        session.commit()
    if not done.changed:
        print(
            f"The deposit policy is already this; it stays version {done.policy.version}. "
            "Nothing was changed."
        )
        return
    print("\n".join(policy_words(done.policy)))
    print(
        f"Stored as version {done.policy.version}. Each desk takes it when it next syncs; "
        "bookings already priced keep their deposits."
    )
