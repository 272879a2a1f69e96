"""The venue's version row, and the window of desk versions this server accepts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from server.errors import error
from server.settings import Settings

CHANNEL = "backroom_changes"

_BUMP = text(
    "WITH bumped AS (UPDATE venue_versions SET version = version + 1 "
    "WHERE venue_id = :venue RETURNING version) "
    "SELECT version, pg_notify(:channel, :venue || ':' || version) FROM bumped"
)


def bump_version(session: Session, venue_id: uuid.UUID) -> int:
    """Take the venue's next version inside the current transaction.

    Call it as late as possible: its row lock is held until commit, which is
    what makes versions visible in commit order. The NOTIFY is delivered at
    commit, so listeners never hear of a version they cannot yet read.
    """
    row = session.execute(_BUMP, {"venue": str(venue_id), "channel": CHANNEL}).one()
    return int(row[0])


def current_version(session: Session | Connection, venue_id: uuid.UUID) -> int:
    found = session.execute(
        text("SELECT version FROM venue_versions WHERE venue_id = :venue"), {"venue": venue_id}
    ).scalar()
    return int(found or 0)


def check_client(settings: Settings, protocol: int | None, schema: int | None) -> None:
    """426 for a desk older than the window; a clear refusal for one newer than it."""
    if protocol is not None and protocol != settings.protocol_version:
        if protocol < settings.protocol_version:
            raise error(
                426,
                f"This desk speaks sync protocol {protocol}; the server needs "
                f"{settings.protocol_version}. Update the desk: its unsynced work is kept.",
            )
        raise error(
            400,
            f"This desk speaks sync protocol {protocol}, newer than the server's "
            f"{settings.protocol_version}. The server must be updated first.",
        )
    if schema is None:
        return
    if schema < settings.min_schema_version:
        raise error(
            426,
            f"This desk's data is schema version {schema}; the server accepts "
            f"{settings.min_schema_version}–{settings.max_schema_version}. Update the desk: "
            "its unsynced work is kept and will sync after the update.",
        )
    if schema > settings.max_schema_version:
        raise error(
            400,
            f"This desk's data is schema version {schema}, newer than this server knows "
            f"({settings.max_schema_version}). The server must be updated first.",
        )


async def client_version(
    request: Request,
    x_backroom_protocol: Annotated[int | None, Header(ge=0, le=10_000)] = None,
    x_backroom_schema: Annotated[int | None, Header(ge=0, le=10_000)] = None,
) -> None:
    check_client(request.app.state.settings, x_backroom_protocol, x_backroom_schema)


ClientVersion = Depends(client_version)
