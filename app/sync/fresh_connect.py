"""Connecting a new desk (no venue yet) to its venue's server: it takes everything from there.

1. The server's venues are listed by name (no sign-in); the desk takes the one
   asked for, or the only one.
2. A manager signs in; the venue's settings (hours, durations, deposit policy)
   come with that sign-in, and the desk writes its venue, its own identity and
   the manager (with the PIN they chose for this desk: PINs never leave a desk).
3. The desk registers, and its first sync brings the plan, the staff and the night.

If signing in or registering fails, what step 2 wrote is taken out again, so the
file is as new as before and the next start asks again. No demo row is ever written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import httpx
from pydantic import ValidationError
from sqlalchemy import delete

from app import protocol as p
from app.domain.errors import InvalidInput
from app.domain.venue_setup import NO_DEPOSITS
from app.models.tables import DeviceRow, StaffRow, VenueRow
from app.models.uow import Store
from app.sync.client import TIMEOUT, ServerTrouble, SyncProblem
from app.sync.credentials import DeviceCredentials
from app.sync.link import engine_for
from app.sync.register import Registration, get, register_desk, server_venues, sign_in


@dataclass(frozen=True, slots=True)
class Downloaded:
    registration: Registration
    venue_name: str
    synced: str  # the first sync's state, in words


def connect_new_desk(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    pin_hash: str | None,
    now: datetime,
    venue: str | None = None,
    desk_name: str = "Reception",
) -> Downloaded:
    """Connect a desk that has no venue yet; raise ``SyncProblem``/``InvalidInput`` in words."""
    device_id = str(uuid.uuid4())
    # Before anything is asked or written: a desk with nowhere to keep its token is stuck.
    DeviceCredentials(device_id).check_usable()
    with httpx.Client(base_url=server_url.strip().rstrip("/"), timeout=TIMEOUT) as http:
        chosen = _pick(server_venues(http), venue)
        staff = sign_in(http, str(chosen.id), username, password)
        found = get(http, "/v1/venue", staff.token)
        try:
            settings = p.VenueSettings.model_validate(found)
        except ValidationError:
            raise ServerTrouble("The server sent an answer this desk cannot read.") from None
        _write_venue(store, settings, staff.staff, pin_hash, (device_id, desk_name), now)
        try:
            registration = register_desk(store, http, username, password)
        except BaseException:
            _forget_venue(store)
            raise
    engine = engine_for(store)
    assert engine is not None
    status = engine.sync_once()
    return Downloaded(registration, settings.name, f"{status.state.value}. {status.detail}".strip())


def _pick(venues: list[p.VenueListing], wanted: str | None) -> p.VenueListing:
    if not venues:
        raise SyncProblem("The server holds no venue yet; create it there first (create-venue).")
    if wanted:
        key = wanted.strip().casefold()
        for v in venues:
            if key in (str(v.id), v.name.casefold()):
                return v
        names = ", ".join(v.name for v in venues)
        raise InvalidInput("venue", f"The server has no venue '{wanted}'; it has {names}.")
    if len(venues) > 1:
        names = ", ".join(v.name for v in venues)
        raise InvalidInput("venue", f"The server holds several venues ({names}); name yours.")
    return venues[0]


def _write_venue(
    store: Store,
    venue: p.VenueSettings,
    manager: p.StaffInfo,
    pin_hash: str | None,
    desk: tuple[str, str],
    now: datetime,
) -> None:
    venue_id = str(venue.id)
    config = {k: v for k, v in venue.settings.items() if k not in ("id", "name")}
    config.setdefault("deposit_policy", NO_DEPOSITS)
    with store.unit_of_work() as uow:
        uow.session.add(VenueRow(id=venue_id, name=venue.name, config=config, updated_at=now))
        uow.session.flush()
        uow.device.add(desk[0], desk[1], venue_id)
        # The manager under the server's own id: the first sync finds them already here.
        uow.session.add(
            StaffRow(
                id=str(manager.id),
                venue_id=venue_id,
                username=manager.username,
                name=manager.name,
                role=manager.role.value,
                pin_hash=pin_hash,
            )
        )
        uow.commit()


def _forget_venue(store: Store) -> None:
    with store.unit_of_work() as uow:
        for model in (StaffRow, DeviceRow, VenueRow):
            uow.session.execute(delete(model))
        uow.commit()
