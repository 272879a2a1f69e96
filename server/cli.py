"""backroom-server: migrate, serve, create-venue, create-admin, create-staff, list-staff,
set-pin, desk-ceiling, venue deposit-policy, payments reconcile, guest-data.

Secrets (passwords, desk PINs) are never arguments: typed at a hidden prompt, or read
one a line from standard input (``--password-stdin`` first, then ``--pin-stdin``).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from app import protocol as p
from app.domain.errors import DomainError
from app.domain.permissions import Role
from server.guests.cli import add_guests_command
from server.payments.cli import add_payments_command
from server.venues.cli import add_venue_command
from server.venues.restored import add_restored_command

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _settings():  # type: ignore[no-untyped-def]  # noqa: ANN202
    from server.settings import Settings

    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as error:
        sys.exit("backroom-server: check the BACKROOM_* settings:\n" + settings_problems(error))


def settings_problems(error: ValidationError) -> str:
    """Each setting that is wrong, by the variable an operator sets, and what is wrong."""
    lines = []
    for e in error.errors():
        said = "required" if e["type"] == "missing" else str(e["msg"]).removeprefix("Value error, ")
        # A check of several settings together (no one field) names them in its own words.
        name = "BACKROOM_" + "_".join(map(str, e["loc"])).upper() + ": " if e["loc"] else ""
        lines.append(f"  {name}{said}")
    return "\n".join(lines)


def migrate(args: argparse.Namespace) -> None:
    from alembic import command

    from server.migrate import alembic_config

    command.upgrade(alembic_config(_settings().database_url), args.revision)
    print(f"Central database migrated to {args.revision}.")


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from server.http_protocol import HTTP_PROTOCOL

    # The guest messages' sender runs in each server instance unless the venue runs it
    # as a process of its own (docs/messages.md, "Running the sender").
    os.environ.setdefault("BACKROOM_MESSAGES_WORKER", "on")
    _settings()
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=True,
        http=HTTP_PROTOCOL,
    )


def create_venue(args: argparse.Namespace) -> None:
    from sqlalchemy.exc import IntegrityError

    from server.db import make_engine, make_sessionmaker
    from server.venues.service import create_venue as load

    try:
        data = json.loads(Path(args.plan).read_text())
        engine = make_engine(_settings().database_url, 1)
        with make_sessionmaker(engine)() as session, session.begin():
            venue_id = load(session, data, update=args.update)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError, DomainError) as error:
        sys.exit(f"backroom-server: cannot load {args.plan}: {error}")
    except IntegrityError:
        sys.exit(
            f"backroom-server: cannot load {args.plan}: its areas, tables and combinations do "
            "not fit together (a table in an area the file does not have?); nothing was changed."
        )
    done = "brought up to date" if args.update else "loaded"
    print(f"Venue {data['venue']['name']} {done}: {venue_id}")
    if args.update and "deposit_policy" in data["venue"]:
        print(
            "Its deposit policy is the version in force on the server, not the file's; "
            "change it with `backroom-server venue deposit-policy set`."
        )


def create_admin(args: argparse.Namespace) -> None:
    args.role = Role.ADMIN.value
    create_staff(args)


def create_staff(args: argparse.Namespace) -> None:
    from server.auth import service
    from server.clock import SystemClock

    role = Role(args.role)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.username} ({role.value}): ")
    try:
        request = p.NewStaff(username=args.username, name=args.name, role=role, password=password)
    except ValidationError as error:
        sys.exit(f"backroom-server: {error.errors()[0]['loc'][0]}: {error.errors()[0]['msg']}")
    pin_hash = _desk_pin() if args.pin_stdin else None
    with _venue_session(args.venue) as session:
        try:
            staff = service.create_staff(
                session, SystemClock().now(), args.venue, request, pin_hash
            )
        except Exception as error:  # an HTTPException from the service
            sys.exit(f"backroom-server: {getattr(error, 'detail', error)}")
    pin = ", with a desk PIN" if pin_hash else ""
    print(f"{role.value.capitalize()} {staff.username} ({staff.name}) created{pin}: {staff.id}")


def set_pin(args: argparse.Namespace) -> None:
    from server.auth import service
    from server.clock import SystemClock

    pin_hash = _desk_pin()
    with _venue_session(args.venue) as session:
        try:
            staff = service.set_pin(
                session, SystemClock().now(), args.venue, args.username.strip().lower(), pin_hash
            )
        except Exception as error:  # an HTTPException from the service
            sys.exit(f"backroom-server: {getattr(error, 'detail', error)}")
    print(
        f"{staff.username} ({staff.name}) has a new desk PIN; each desk takes it when it next "
        "syncs."
    )


def _desk_pin() -> str:
    """A desk PIN read from standard input, hashed as every desk hashes it."""
    from app.domain.errors import InvalidInput
    from app.domain.limits import check_pin_format
    from app.domain.pin_hash import hash_pin

    pin = sys.stdin.readline().rstrip("\n")
    try:
        check_pin_format(pin)
    except InvalidInput as error:
        sys.exit(f"backroom-server: {error}")
    return hash_pin(pin)


def desk_ceiling(args: argparse.Namespace) -> None:
    from server.auth import service

    role = Role(args.role)
    with _venue_session(args.venue) as session:
        try:
            device = service.find_device(session, args.venue, args.device)
            info = service.set_ceiling(session, args.venue, device.id, role)
        except Exception as error:  # an HTTPException from the service
            sys.exit(f"backroom-server: {getattr(error, 'detail', error)}")
    print(f"Desk {info.name} ({info.id}) now acts for staff up to {info.role_ceiling.value}.")


def list_staff(args: argparse.Namespace) -> None:
    from server.auth import service

    with _venue_session(args.venue) as session:
        for s in service.list_staff(session, args.venue):
            state = "" if s.active else "  (deactivated)"
            print(f"{s.username:<20} {s.role.value:<10} {s.name}{state}")


@contextlib.contextmanager
def _venue_session(venue_id: uuid.UUID) -> Iterator[Session]:
    from server.db import make_engine, make_sessionmaker
    from server.venues.models import Venue

    engine = make_engine(_settings().database_url, 1)
    try:
        with make_sessionmaker(engine)() as session:
            if session.get(Venue, venue_id) is None:
                sys.exit(f"backroom-server: there is no venue {venue_id}; run create-venue first.")
            yield session
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="backroom-server",
        description="The Backroom central server. Settings come from BACKROOM_* variables; "
        "see docs/server.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("migrate", help="bring the database schema up to date")
    m.add_argument("revision", nargs="?", default="head")
    m.set_defaults(run=migrate)
    s = commands.add_parser("serve", help="serve the API with uvicorn")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--log-level", default="info")
    s.set_defaults(run=serve)
    v = commands.add_parser("create-venue", help="load a venue and floor plan file (JSON)")
    v.add_argument(
        "plan", help="e.g. resources/backroom.json, or a desk's file from `backroom plan export`"
    )
    v.add_argument(
        "--update",
        action="store_true",
        help="the venue exists: bring its plan up to date from the file (tables are not deleted)",
    )
    v.set_defaults(run=create_venue)
    a = commands.add_parser("create-admin", help="create an admin staff member for a venue")
    a.add_argument("--venue", type=uuid.UUID, required=True)
    a.add_argument("--username", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a.add_argument(
        "--pin-stdin",
        action="store_true",
        help="also read their desk PIN (4-8 digits) from stdin, after the password",
    )
    a.set_defaults(run=create_admin)
    st = commands.add_parser("create-staff", help="create a staff member (any role) for a venue")
    st.add_argument("--venue", type=uuid.UUID, required=True)
    st.add_argument("--username", required=True)
    st.add_argument("--name", required=True)
    st.add_argument("--role", choices=[r.value for r in Role], required=True)
    st.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    st.add_argument(
        "--pin-stdin",
        action="store_true",
        help="also read their desk PIN (4-8 digits) from stdin, after the password",
    )
    st.set_defaults(run=create_staff)
    sp = commands.add_parser("set-pin", help="give a staff member a desk PIN (read from stdin)")
    sp.add_argument("--venue", type=uuid.UUID, required=True)
    sp.add_argument("--username", required=True)
    sp.set_defaults(run=set_pin)
    dc = commands.add_parser(
        "desk-ceiling", help="set the highest role a registered desk may act for"
    )
    dc.add_argument("--venue", type=uuid.UUID, required=True)
    dc.add_argument("--device", required=True, help="the desk's id or its name ('Reception')")
    dc.add_argument("--role", choices=[r.value for r in Role], required=True)
    dc.set_defaults(run=desk_ceiling)
    ls = commands.add_parser("list-staff", help="list a venue's staff")
    ls.add_argument("--venue", type=uuid.UUID, required=True)
    ls.set_defaults(run=list_staff)
    add_payments_command(commands)
    add_venue_command(commands, _venue_session)
    add_restored_command(commands, lambda: _settings().database_url)
    add_guests_command(commands, _venue_session)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except OperationalError as failed:
        raise SystemExit(unusable_database(failed)) from None


def unusable_database(failed: OperationalError) -> str:
    """What PostgreSQL or libpq said when the database could not be used, without a
    traceback: a wrong host, port, password or database name is a setting to fix. libpq's
    words never include the password."""
    said = " ".join(line.strip() for line in str(failed.orig).splitlines() if line.strip())
    return (
        f"backroom-server: the database could not be used: {said}\n"
        "Check BACKROOM_DATABASE_URL and that PostgreSQL is running (docs/server.md)."
    )


if __name__ == "__main__":
    main()
