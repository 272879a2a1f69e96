"""A desk's first run: try the demo, set up a venue, or connect to the venue's server.

A desk file with no venue yet is a first run. Only ``try_demo`` puts the demo
venue, its staff (with the PINs the sign-in shows) and a night into it; a venue
set up here or taken from a server never gets any. A refused set-up writes
nothing, so the file stays fresh and the next start asks again.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import DomainError, InvalidInput
from app.domain.limits import check_pin_format
from app.domain.permissions import Role, Staff
from app.domain.pin_hash import hash_pin
from app.domain.venue import OpeningHours
from app.domain.venue_setup import check_first_admin, empty_plan, new_venue_data
from app.models.uow import Store
from app.services.common import Clock
from app.services.demo import DemoNight, seed_demo
from app.sync.client import SyncProblem
from app.sync.first_connect import Choice, ChoiceNeeded, connect_desk
from app.sync.fresh_connect import connect_new_desk
from resources import BACKROOM_JSON

EXAMPLE_PLAN = BACKROOM_JSON


@dataclass(frozen=True, slots=True)
class FirstAdmin:
    username: str
    name: str
    pin: str
    again: str


@dataclass(frozen=True, slots=True)
class VenueSetUp:
    venue_name: str
    tables: int
    admin: str


@dataclass(frozen=True, slots=True)
class ConnectedDesk:
    server_url: str
    venue_name: str
    signed_in_as: str
    said: tuple[str, ...]  # what happened, one line each, for the window and the CLI


class ConnectRefused(DomainError):
    """Connecting did not happen (nothing on this desk changed); the message says why."""


class NightChoiceNeeded(ConnectRefused):
    """This desk holds a night: what it holds and what the server holds, nothing sent."""

    def __init__(self, message: str, desk_holds: str, server_holds: str) -> None:
        super().__init__(message)
        self.desk_holds = desk_holds
        self.server_holds = server_holds


class AlreadySetUp(InvalidInput):
    def __init__(self) -> None:
        super().__init__("venue", "This desk already has its venue; nothing was changed.")


def read_plan_file(path: Path) -> dict[str, Any]:
    """A plan file's contents (resources/backroom.json's shape), or a plain refusal."""
    if not str(path).strip() or Path(path).is_dir():
        raise InvalidInput("plan", "Choose a plan file.")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput("plan", f"Cannot read the plan file {path}: {error.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput("plan", f"The plan file {path} is not JSON.") from None
    if not isinstance(data, dict):
        raise InvalidInput("plan", f"The plan file {path} holds no areas and tables.")
    return data


class FirstRun:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def needed(self) -> bool:
        with self.store.read() as reader:
            return not reader.venue.exists()

    def try_demo(self, *, history: bool = False) -> DemoNight | None:
        """The Backroom, its three demo staff and tonight's demo night; ``history``: and past
        nights for the night review, which stay on this desk (they are not sent by
        ``connect --upload``: docs/review.md)."""
        if not self.needed():
            raise AlreadySetUp()
        return seed_demo(self.store, self.clock, history=history)

    def set_up_venue(
        self,
        name: str,
        hours: dict[int, OpeningHours],
        plan: Path | dict[str, Any] | None,
        admin: FirstAdmin,
    ) -> VenueSetUp:
        """The venue, its plan (a file, plain data, or one empty room) and its first admin."""
        username, admin_name = check_first_admin(admin.username, admin.name, admin.pin, admin.again)
        if plan is None:
            plan = empty_plan()
        elif isinstance(plan, Path):
            plan = read_plan_file(plan)
        data = new_venue_data(name, hours, plan)
        venue_id = data["venue"]["id"]
        pin_hash = hash_pin(admin.pin)
        with self.store.unit_of_work() as uow:
            if uow.venue.exists():
                raise AlreadySetUp()
            uow.venue.add_from_dict(data, self.clock())
            uow.staff.add(
                Staff(str(uuid.uuid4()), admin_name, Role.ADMIN), venue_id, username, pin_hash
            )
            uow.device.add(str(uuid.uuid4()), "Reception", venue_id)
            uow.commit()
        return VenueSetUp(data["venue"]["name"], len(data["tables"]), username)

    def connect(
        self,
        db_path: Path,
        server_url: str,
        username: str,
        password: str,
        *,
        choice: Choice | None = None,
        pin: tuple[str, str] | None = None,
        venue: str | None = None,
    ) -> ConnectedDesk:
        """Connect this desk to its venue's server.

        A new desk (no venue yet) downloads the venue, plan, staff and bookings, and
        the manager who connects gets ``pin`` (typed twice) to sign in here. A desk
        that holds a night sends nothing until ``choice`` says what happens to it
        (app.sync.first_connect); without one, ``NightChoiceNeeded`` says what both hold.
        """
        url = server_url.strip()
        if not url.startswith(("http://", "https://")):
            raise InvalidInput(
                "server", "Give the server's address, like https://backroom.example:8000."
            )
        if not username.strip() or not password:
            raise InvalidInput(
                "user", "Sign in with a manager's or an admin's username and password."
            )
        try:
            if self.needed():
                return self._connect_new(url, username.strip().lower(), password, pin, venue)
            done = connect_desk(
                self.store, db_path, url, username.strip().lower(), password, choice, self.clock()
            )
        except ChoiceNeeded as asked:
            raise NightChoiceNeeded(str(asked), asked.desk_holds, asked.server_holds) from None
        except SyncProblem as problem:
            raise ConnectRefused(f"{problem} Nothing on this desk was changed.") from None
        reg = done.registration
        said = [f"Connected this desk to {reg.server_url} (signed in as {reg.staff_name})."]
        if done.created_staff:
            said.append(
                f"Created on the server: {', '.join(done.created_staff)} (each with a random "
                "server password; they sign in at the desk with their PINs)."
            )
        if done.ceiling is not None:
            said.append(
                f"This desk acts for staff up to {done.ceiling.value}, since its night holds "
                "an admin's changes (backroom-server desk-ceiling changes that)."
            )
        if done.rebuilt is not None:
            r = done.rebuilt
            said.append(
                f"This desk's file was copied to {r.copy}; it now takes the server's night."
            )
            said.append(f"Its {r.unsent} unsent change(s) are listed in {r.unsent_file}.")
        with self.store.read() as reader:
            name = reader.venue.get().venue.name
        return ConnectedDesk(reg.server_url, name, reg.staff_name, tuple(said))

    def _connect_new(
        self,
        url: str,
        username: str,
        password: str,
        pin: tuple[str, str] | None,
        venue: str | None,
    ) -> ConnectedDesk:
        pin_hash = None
        if pin is not None:
            check_pin_format(pin[0])
            if pin[0] != pin[1]:
                raise InvalidInput("again", "The two PINs differ; type the same PIN twice.")
            pin_hash = hash_pin(pin[0])
        done = connect_new_desk(self.store, url, username, password, pin_hash, self.clock(), venue)
        reg = done.registration
        said = [
            f"Connected this desk to {reg.server_url} (signed in as {reg.staff_name}) and "
            f"took {done.venue_name} from it.",
            f"First sync: {done.synced}",
        ]
        if pin_hash is None:
            said.append(
                f"{reg.staff_name} has no PIN on this desk yet, so the window's sign-in "
                "cannot take them; connect with a PIN (--pin-stdin) to sign in here."
            )
        return ConnectedDesk(reg.server_url, done.venue_name, reg.staff_name, tuple(said))
