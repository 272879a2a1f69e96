"""A guest's data-protection requests, asked of the server by an admin at this desk.

The server answers them (docs/data-protection.md): it holds everything, and erasing is
its change, which every desk then pulls. An admin signs in to the server with their
password, as connecting a desk does; neither the password nor the token is kept.
"""

from __future__ import annotations

import httpx

from app import protocol as p
from app.domain.errors import DomainError
from app.models.uow import Store
from app.sync.client import TIMEOUT, Offline, ServerTrouble, check
from app.sync.register import sign_in


class NotConnected(DomainError):
    """A desk with no server: the requests are the server's to answer."""


def guest_data(
    store: Store, username: str, password: str, request: p.GuestDataRequest
) -> p.GuestData:
    """Everything the server holds about the guest ``request`` names."""
    return p.GuestData.model_validate(_ask(store, username, password, "/v1/guests/data", request))


def erase_guest(
    store: Store, username: str, password: str, request: p.GuestDataRequest
) -> p.GuestErased:
    """Forget the guest ``request`` names, on the server (every desk pulls it)."""
    answer = _ask(store, username, password, "/v1/guests/erase", request)
    return p.GuestErased.model_validate(answer)


def _ask(
    store: Store, username: str, password: str, path: str, request: p.GuestDataRequest
) -> object:
    with store.read() as reader:
        desk = reader.device.get()
    venue_id, server_url = desk.venue_id, desk.server_url
    if not server_url:
        raise NotConnected(
            "This desk is not connected to a server, and a guest's requests are answered "
            "by the server, which holds everything about them (docs/data-protection.md)."
        )
    try:
        with httpx.Client(base_url=server_url, timeout=TIMEOUT) as http:
            staff = sign_in(http, venue_id, username, password)
            response = http.post(
                path,
                json=request.model_dump(mode="json", exclude_none=True),
                headers={"Authorization": f"Bearer {staff.token}"},
            )
    except (httpx.TransportError, OSError):
        raise Offline("The server cannot be reached; check the network.") from None
    check(response)
    try:
        return response.json()
    except ValueError:
        raise ServerTrouble("The server sent an answer this desk cannot read.") from None
