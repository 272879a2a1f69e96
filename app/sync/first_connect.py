"""Connecting a desk that already holds a night: nothing is sent until a manager chooses.

A desk that ran on its own (a venue that started standalone, or the demo) holds
bookings and unsent changes made by its own staff. Sent as they are to a server
that does not know those staff, every one would be refused. So before anything
is registered, the desk says what it holds and what the server holds, and a
manager chooses:

- **upload** this desk's night: its staff the server does not know are created
  there first (an admin's sign-in; each gets a random server password, since
  staff sign in at the desk with their PINs), then the desk registers and its
  first sync matches its staff to the server's by username and sends its changes;
- **take the server's** night: the desk keeps a full copy of its file and its
  unsent changes in files beside it, registers under a new id and takes the
  server's night (app.sync.rebuild).

An empty desk simply connects.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app import protocol as p
from app.domain.permissions import Role
from app.models.tables import AreaRow, BookingRow, DeviceRow, OutboxRow, StaffRow, TableRow
from app.models.uow import Store
from app.sync.client import TIMEOUT, Refused, SyncProblem
from app.sync.rebuild import Rebuilt, rebuild_from_server
from app.sync.register import Registration, get, post, read, register_desk, sign_in


class Choice(StrEnum):
    UPLOAD = "upload"
    TAKE_SERVER = "take-server"


@dataclass(frozen=True, slots=True)
class DeskHoldings:
    bookings: int
    unsent: int
    staff: tuple[tuple[str, str, str], ...]  # username, name, role
    tables: int = 0
    areas: int = 0

    @property
    def empty(self) -> bool:
        return self.bookings == 0 and self.unsent == 0


class ChoiceNeeded(SyncProblem):
    """The desk holds a night: a manager must say what happens to it (nothing was sent).

    ``desk_holds`` and ``server_holds`` say, in staff words, what each side holds (the
    window shows them side by side; the command line prints the whole message).
    """

    def __init__(self, desk_holds: str, server_holds: str) -> None:
        super().__init__(
            f"{desk_holds} {server_holds} Nothing was sent. Choose: --upload to send this "
            "desk's night (its staff the server does not know are created there first; needs "
            "an admin), or --take-server to take the server's night (this desk's file and "
            "unsent changes are kept in files beside it)."
        )
        self.desk_holds = desk_holds
        self.server_holds = server_holds


@dataclass(frozen=True, slots=True)
class Connected:
    registration: Registration
    created_staff: tuple[str, ...] = ()
    rebuilt: Rebuilt | None = None


def desk_holdings(store: Store) -> DeskHoldings:
    with store.read() as reader:
        s = reader.session
        bookings = s.scalar(
            select(func.count()).select_from(BookingRow).where(BookingRow.status != "cancelled")
        )
        unsent = s.scalar(select(func.count()).select_from(OutboxRow))
        staff = s.execute(
            select(StaffRow.username, StaffRow.name, StaffRow.role)
            .where(StaffRow.active)
            .order_by(StaffRow.username)
        ).all()
        tables = s.scalar(select(func.count()).select_from(TableRow).where(TableRow.active))
        areas = s.scalar(select(func.count()).select_from(AreaRow).where(AreaRow.active))
    return DeskHoldings(
        int(bookings or 0),
        int(unsent or 0),
        tuple(tuple(r) for r in staff),
        int(tables or 0),
        int(areas or 0),
    )


def connect_desk(
    store: Store,
    db_path: Path,
    server_url: str,
    username: str,
    password: str,
    choice: Choice | None,
    now: datetime,
) -> Connected:
    """Connect this desk, doing with the night it holds what the manager chose."""
    mine = desk_holdings(store)
    with httpx.Client(base_url=server_url.rstrip("/"), timeout=TIMEOUT) as http:
        if mine.empty:
            return Connected(register_desk(store, http, username, password))
        token = _sign_in(store, http, username, password)
        theirs = read(p.VenueSummary, get(http, "/v1/venue/summary", token))
        if choice is None:
            raise ChoiceNeeded(desk_words(mine), server_words(theirs))
        if choice is Choice.TAKE_SERVER:
            rebuilt = rebuild_from_server(store, db_path, http, username, password, now)
            return Connected(rebuilt.registration, rebuilt=rebuilt)
        created = _create_missing_staff(http, token, mine, set(theirs.staff))
        return Connected(register_desk(store, http, username, password), created)


def _sign_in(store: Store, http: httpx.Client, username: str, password: str) -> str:
    with store.read() as reader:
        venue_id = reader.session.scalars(select(DeviceRow.venue_id)).one()
    return sign_in(http, venue_id, username, password).token


def desk_words(mine: DeskHoldings) -> str:
    staff = ", ".join(u for u, _, _ in mine.staff) or "none"
    return (
        f"This desk holds {mine.bookings} booking(s) and {mine.unsent} change(s) not yet sent, "
        f"made by its staff ({staff}), on its plan of {mine.tables} table(s) in "
        f"{mine.areas} area(s)."
    )


def server_words(theirs: p.VenueSummary) -> str:
    server_staff = ", ".join(theirs.staff) or "none"
    return (
        f"The server holds {theirs.bookings} booking(s) for {theirs.venue_name}, "
        f"{theirs.desks} desk(s) and its staff ({server_staff})."
    )


def _create_missing_staff(
    http: httpx.Client, token: str, mine: DeskHoldings, known: set[str]
) -> tuple[str, ...]:
    missing = [(u, n, r) for u, n, r in mine.staff if u not in known]
    created = []
    for username, name, role in missing:
        body = p.NewStaff(
            username=username, name=name, role=Role(role), password=secrets.token_urlsafe(18)
        )
        try:
            post(http, "/v1/staff", body.model_dump(mode="json"), token)
        except Refused as refused:
            if refused.status != 403:
                raise
            names = ", ".join(f"{u} ({r})" for u, _, r in missing)
            raise Refused(
                403,
                f"The server does not know this desk's staff {names}. Connect with an admin's "
                "sign-in to create them, or create them on the server first "
                "(backroom-server create-staff). Nothing was registered.",
            ) from None
        created.append(username)
    return tuple(created)
