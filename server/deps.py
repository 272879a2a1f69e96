"""Request dependencies: settings, clock, and who is calling with which role."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from app.domain.errors import PermissionDenied
from app.domain.permissions import Action, Staff
from server.auth.principals import DevicePrincipal, Principal, StaffPrincipal
from server.auth.service import signed_in
from server.errors import error
from server.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="A staff token or a desk's device token")


# The cheap dependencies are coroutines: FastAPI runs a plain ``def`` one in the
# thread pool, a hop that costs more than the work itself on every request.


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_now(request: Request) -> datetime:
    return request.app.state.clock.now()  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
NowDep = Annotated[datetime, Depends(get_now)]


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def _bearer_given(credentials: BearerDep) -> HTTPAuthorizationCredentials:
    if credentials is None:
        raise error(401, "Sign in first: this needs a token.", {"WWW-Authenticate": "Bearer"})
    return credentials


# A token that is there, not yet checked (principal_for checks it).
TokenDep = Annotated[HTTPAuthorizationCredentials, Depends(_bearer_given)]


def principal_for(
    request: Request, credentials: HTTPAuthorizationCredentials | None, now: datetime
) -> Principal:
    """Who the bearer token stands for, or 401; call it from a worker thread."""
    if credentials is None:
        raise error(401, "Sign in first: this needs a token.", {"WWW-Authenticate": "Bearer"})
    engine: Engine = request.app.state.engine
    return signed_in(engine, credentials.credentials, now)


def device_only(principal: Principal) -> DevicePrincipal:
    if not isinstance(principal, DevicePrincipal):
        raise error(403, "Only a registered desk may do this (use its device token).")
    return principal


def get_principal(request: Request, now: NowDep, credentials: BearerDep) -> Principal:
    return principal_for(request, credentials, now)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def require_device(principal: PrincipalDep) -> DevicePrincipal:
    return device_only(principal)


def require(action: Action) -> Any:
    """The dependency of an endpoint that takes ``action``: a signed-in staff member whose
    role may take it, by the domain's one table of roles (app.domain.permissions)."""

    async def dependency(principal: PrincipalDep) -> StaffPrincipal:
        if not isinstance(principal, StaffPrincipal):
            raise error(403, "This needs a signed-in staff member, not a desk token.")
        staff = Staff(str(principal.staff_id), principal.name, principal.role)
        try:
            staff.require(action)
        except PermissionDenied as refused:
            raise error(403, str(refused)) from None
        return principal

    return Depends(dependency)


DeviceDep = Annotated[DevicePrincipal, Depends(require_device)]
