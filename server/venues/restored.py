"""Saying the database was restored from a backup: every venue's history gets a new lineage.

A restored database numbers its new changes from where the backup stopped, so
once those pass a desk's cursor their numbers alone cannot tell the desk that
what it pulled before is gone (server/sync/pull.py). The operator runs
``backroom-server restored`` after putting a backup back; desks that pulled from
the copy before are then refused until they are put right
(docs/operations.md, "The server restored from a backup").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.orm import Session

from server.payments.found import recovery_wanted
from server.venues.models import VenueVersion


def mark_restored(session: Session, now: datetime) -> int:
    """Give every venue a new lineage; how many venues there are."""
    marked = session.execute(
        update(VenueVersion).values(lineage=func.gen_random_uuid(), restored_at=now)
    )
    # Stripe still has the links made since the backup (server.payments.found).
    recovery_wanted(session, now)
    return int(marked.rowcount or 0)  # type: ignore[attr-defined]


def add_restored_command(commands: Any, database_url: Callable[[], str]) -> None:
    """``database_url`` reads the settings, explaining a missing or wrong one."""
    r = commands.add_parser(
        "restored",
        help="say the database was just restored from a backup: desks that pulled from "
        "it before stop until they are put right",
    )
    r.set_defaults(run=lambda args: restored_command(args, database_url()))


def restored_command(args: argparse.Namespace, database_url: str) -> None:
    import server.models  # noqa: F401  (every table)
    from server.clock import SystemClock
    from server.db import make_engine, make_sessionmaker

    engine = make_engine(database_url, 1)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            venues = mark_restored(session, SystemClock().now())
    finally:
        engine.dispose()
    if venues == 0:
        sys.exit("backroom-server: there is no venue in this database; nothing was marked.")
    print(
        f"Marked {venues} venue(s) as restored from a backup. Each desk that synced with "
        "the server before is refused its next pull until it is put right: "
        "`backroom sync --rebuild --user NAME` on that desk (docs/operations.md). "
        "Where the server takes deposits through Stripe, its next reconciliation asks Stripe "
        "for the links made since the backup and takes each back onto its booking once the "
        "booking is here again."
    )
