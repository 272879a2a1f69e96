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

An empty desk simply connects. Before any of it, the server must hold this desk's
venue: a venue set up at the desk has ids of its own, and until its plan file
(``backroom plan export``) is loaded there with ``backroom-server create-venue``
the desk says exactly that and changes nothing.
"""

from __future__ import annotations

import re
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
from app.sync.register import (
    Registration,
    get,
    post,
    read,
    register_desk,
    server_venues,
    sign_in,
)


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
    ceiling: Role | None = None  # asked for at registration, when the night needed it


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
        _check_server_has_venue(store, http)
        if mine.empty:
            return Connected(register_desk(store, http, username, password))
        signed_in = _sign_in(store, http, username, password)
        token = signed_in.token
        theirs = read(p.VenueSummary, get(http, "/v1/venue/summary", token))
        if choice is None:
            raise ChoiceNeeded(desk_words(mine), server_words(theirs))
        if choice is Choice.TAKE_SERVER:
            rebuilt = rebuild_from_server(store, db_path, http, username, password, now)
            return Connected(rebuilt.registration, rebuilt=rebuilt)
        ceiling = night_ceiling(store)
        if ceiling is Role.ADMIN and signed_in.staff.role is not Role.ADMIN:
            raise Refused(
                403,
                "This desk's night holds changes made by an admin; only an admin's sign-in "
                "lets the desk send them. Connect with an admin's sign-in. Nothing was "
                "registered.",
            )
        created = _create_missing_staff(http, token, mine, set(theirs.staff))
        registration = register_desk(store, http, username, password, role_ceiling=ceiling)
        return Connected(registration, created, ceiling=ceiling)


def _check_server_has_venue(store: Store, http: httpx.Client) -> None:
    """A venue set up at this desk has ids of its own, which the server knows only once its
    plan file is loaded there: until then no sign-in, upload or download can work."""
    with store.read() as reader:
        venue = reader.venue.get().venue
    held = server_venues(http)
    if any(str(v.id) == venue.id for v in held):
        return
    raise SyncProblem(missing_venue_words(venue.name, venue.id, [v.name for v in held]))


def missing_venue_words(name: str, venue_id: str, server_has: list[str]) -> str:
    file = "-".join(re.findall(r"[a-z0-9]+", name.lower())) + "-plan.json"
    others = f" (it holds {', '.join(server_has)})" if server_has else " (it holds no venue yet)"
    return (
        f"This server has no venue '{name}' (id {venue_id}){others}. Load this desk's venue "
        f"and plan into it first: on this desk run 'backroom plan export {file}'; on the "
        f"server run 'backroom-server create-venue {file}' and 'backroom-server create-admin "
        f"--venue {venue_id} …'; then connect again."
    )


def _sign_in(store: Store, http: httpx.Client, username: str, password: str) -> p.LoginResponse:
    with store.read() as reader:
        venue_id = reader.session.scalars(select(DeviceRow.venue_id)).one()
    return sign_in(http, venue_id, username, password)


def night_ceiling(store: Store) -> Role | None:
    """Admin when an admin made any of this desk's unsent changes, else None (the default).

    A venue set up at its own desk starts with one member of staff, its admin, so its
    night is often the admin's work (the floor drawn, staff added, bookings made); a desk
    registered to act up to manager would have every one of those refused on upload.
    """
    with store.read() as reader:
        authors = select(func.json_extract(OutboxRow.body, "$.staff_id")).distinct()
        roles = set(reader.session.scalars(select(StaffRow.role).where(StaffRow.id.in_(authors))))
    return Role.ADMIN if Role.ADMIN.value in roles else None


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
