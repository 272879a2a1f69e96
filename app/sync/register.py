"""Connecting a desk to the server once, with a manager's sign-in.

The manager's password is sent once to get a staff token, which registers this
desk under its own id (the id its audit chain is signed with); the device token
that comes back goes to the keyring and the server's address to the database.
Neither the password nor the staff token is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select

from app import protocol as p
from app.domain.errors import InvalidInput
from app.domain.permissions import Role
from app.models.tables import DeviceRow
from app.models.uow import Store
from app.sync.client import TIMEOUT, Offline, Refused, ServerTrouble, check
from app.sync.credentials import DeviceCredentials

M = TypeVar("M", bound=BaseModel)
_VENUES = TypeAdapter(list[p.VenueListing])


@dataclass(frozen=True, slots=True)
class Registration:
    device_id: str
    venue_id: str
    server_url: str
    staff_name: str


def register_desk(
    store: Store,
    http: httpx.Client,
    username: str,
    password: str,
    *,
    desk_name: str | None = None,
    as_device: str | None = None,
    role_ceiling: Role | None = None,
) -> Registration:
    """Sign in as a manager and register this desk; raises a ``SyncProblem`` in staff words.

    ``as_device`` registers it under a new id instead of its own (app.sync.rebuild);
    ``role_ceiling`` asks for the highest role the desk may act for (the server's
    default otherwise: the registrar's, a manager's at most).
    """
    with store.read() as reader:
        device = reader.session.scalars(select(DeviceRow)).one()
        device_id, venue_id, name = device.id, device.venue_id, desk_name or device.name
    device_id = as_device or device_id
    credentials = DeviceCredentials(device_id)
    # Before the server is asked: a desk registered with nowhere to keep its token is stuck.
    credentials.check_usable()
    staff = sign_in(http, venue_id, username, password)
    body = p.DeviceRegistration(
        name=name,
        device_id=device_id,  # type: ignore[arg-type]
        role_ceiling=role_ceiling,
    ).model_dump(mode="json")
    registered = read(p.DeviceToken, post(http, "/v1/devices", body, staff.token))
    # If this fails, the server's registration is not lost: a desk it never heard from is
    # registered again by the next attempt (server.auth.service.register_device).
    credentials.save(registered.token)
    server_url = str(http.base_url).rstrip("/")
    with store.unit_of_work() as uow:
        row = uow.session.scalars(select(DeviceRow)).one()
        row.server_url = server_url
        row.name = name
        uow.commit()
    return Registration(device_id, venue_id, server_url, staff.staff.name)


def sign_in(http: httpx.Client, venue_id: str, username: str, password: str) -> p.LoginResponse:
    """A staff member's sign-in to the server (its token lasts a shift; never kept)."""
    login = p.LoginRequest(venue_id=venue_id, username=username, password=password)  # type: ignore[arg-type]
    return read(p.LoginResponse, post(http, "/v1/auth/login", login.model_dump(mode="json")))


def server_venues(http: httpx.Client) -> list[p.VenueListing]:
    """The venues the server holds, by id and name (no sign-in needed)."""
    try:
        response = http.get("/v1/venues")
    except (httpx.TransportError, OSError):
        raise Offline("The server cannot be reached; check the address and the network.") from None
    except httpx.InvalidURL:
        raise InvalidInput("server", "That is not a server address like https://…") from None
    check(response)
    try:
        return _VENUES.validate_python(response.json())
    except (ValidationError, ValueError):
        raise ServerTrouble("The server sent an answer this desk cannot read.") from None


def read(model: type[M], body: object) -> M:
    try:
        return model.model_validate(body)
    except ValidationError:
        raise ServerTrouble("The server sent an answer this desk cannot read.") from None


def get(http: httpx.Client, path: str, token: str) -> object:
    try:
        response = http.get(path, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    except (httpx.TransportError, OSError):
        raise Offline("The server cannot be reached; check the address and the network.") from None
    check(response)
    try:
        return response.json()
    except ValueError:
        raise ServerTrouble("The server sent an answer this desk cannot read.") from None


def post(http: httpx.Client, path: str, body: object, token: str | None = None) -> object:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = http.post(path, json=body, headers=headers, timeout=TIMEOUT)
    except (httpx.TransportError, OSError):
        raise Offline("The server cannot be reached; check the address and the network.") from None
    if response.status_code == 401 and token is None:
        raise Refused(401, "That username and password do not match a member of staff.")
    if response.status_code == 403 and token is not None:
        raise Refused(403, "Only a manager or an admin can connect a desk to the server.")
    check(response)
    try:
        return response.json()
    except ValueError:
        raise ServerTrouble("The server sent an answer this desk cannot read.") from None
