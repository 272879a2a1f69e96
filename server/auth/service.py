"""Signing in, registering desks, managing staff, and checking tokens."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import protocol as p
from app.domain.errors import PermissionDenied
from app.domain.permissions import Role, ceiling_for
from server.auth import throttle
from server.auth.models import Device, LoginFailures, StaffMember, Token
from server.auth.principals import DevicePrincipal, Principal, StaffPrincipal
from server.errors import error
from server.security import hash_password, new_token, token_hash, verify_password
from server.settings import Settings
from server.versioning import CHANNEL, bump_version


def staff_info(staff: StaffMember) -> p.StaffInfo:
    return p.StaffInfo(
        id=staff.id,
        venue_id=staff.venue_id,
        username=staff.username,
        name=staff.name,
        role=Role(staff.role),
        active=staff.active,
    )


def login(
    session: Session,
    settings: Settings,
    now: datetime,
    req: p.LoginRequest,
    client: str = "local",
) -> p.LoginResponse:
    """Check a password from a client address, within the sign-in limits (throttle.py)."""
    username = req.username.strip().lower()
    found = throttle.counters(settings, username, client)
    throttle.take_attempt(session, settings, now, req.venue_id, found)
    session.commit()
    staff = session.scalar(
        select(StaffMember).where(
            StaffMember.venue_id == req.venue_id, StaffMember.username == username
        )
    )
    ok = verify_password(staff.password_hash if staff else None, req.password)
    if not ok or staff is None or not staff.active:
        raise error(401, "Wrong username or password.")
    throttle.give_back(session, req.venue_id, found)
    throttle.forget(session, req.venue_id, username, client)
    token = new_token("brs")
    expires = now + timedelta(minutes=settings.staff_token_minutes)
    session.add(
        Token(
            token_hash=token_hash(token),
            kind="staff",
            venue_id=staff.venue_id,
            staff_id=staff.id,
            expires_at=expires,
        )
    )
    session.commit()
    return p.LoginResponse(token=token, expires_at=expires, staff=staff_info(staff))


_TOKEN = text(
    "SELECT t.kind, t.expires_at, t.revoked_at, s.venue_id, s.id, s.name, s.role, s.active, "
    "d.venue_id, d.id, d.name, d.revoked_at FROM tokens t "
    "LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN devices d ON d.id = t.device_id "
    "WHERE t.token_hash = :hash"
)


def token_usable(expires_at: datetime, revoked_at: datetime | None, now: datetime) -> bool:
    """A token works until it is revoked or expires (a desk's push checks it in its own
    statement, server/sync/push.py)."""
    return revoked_at is None and expires_at > now


def authenticate(conn: Connection, token: str, now: datetime) -> Principal | None:
    """Who a bearer token stands for, in one indexed query (it runs on every request)."""
    found = conn.execute(_TOKEN, {"hash": token_hash(token)}).first()
    if found is None:
        return None
    kind, expires_at, revoked_at = found[0], found[1], found[2]
    if not token_usable(expires_at, revoked_at, now):
        return None
    if kind == "staff":
        venue_id, staff_id, name, role, active = found[3:8]
        if staff_id is None or not active:
            return None
        return StaffPrincipal(venue_id, staff_id, name, Role(role))
    venue_id, device_id, name, device_revoked_at = found[8:12]
    if device_id is None or device_revoked_at is not None:
        return None
    return DevicePrincipal(venue_id, device_id, name)


def signed_in(engine: Engine, token: str, now: datetime) -> Principal:
    """Who the token stands for, or 401; call it from a worker thread."""
    # One statement outside any transaction: no BEGIN and no ROLLBACK round trips.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        principal = authenticate(conn, token, now)
    if principal is None:
        raise error(
            401,
            "This token is unknown, expired or revoked. Sign in again.",
            {"WWW-Authenticate": "Bearer"},
        )
    return principal


def register_device(
    session: Session,
    settings: Settings,
    now: datetime,
    by: StaffPrincipal,
    req: p.DeviceRegistration,
) -> p.DeviceToken:
    device_id = req.device_id or uuid.uuid4()
    try:
        ceiling = ceiling_for(by.role, req.role_ceiling)
    except PermissionDenied as refused:
        raise error(403, str(refused)) from None
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        device = Device(id=device_id, venue_id=by.venue_id)
        session.add(device)
    elif device.venue_id != by.venue_id:
        raise error(409, "A desk with this id is registered to another venue.")
    elif not _may_register_again(device):
        raise error(
            409,
            "This desk is registered and has already synced; an admin must revoke its "
            "registration before it is registered again.",
        )
    else:
        # A desk whose token never arrived (connect failed after the server said yes), or
        # one an admin revoked: it starts again where its intents and audit chain left off.
        # Whatever token it had stops working.
        session.execute(
            update(Token)
            .where(Token.device_id == device_id, Token.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        device.revoked_at = None
    device.name = req.name
    device.registered_by = by.staff_id
    device.role_ceiling = ceiling.value
    token = new_token("brd")
    expires = now + timedelta(days=settings.device_token_days)
    session.flush()
    session.add(
        Token(
            token_hash=token_hash(token),
            kind="device",
            venue_id=by.venue_id,
            device_id=device_id,
            expires_at=expires,
        )
    )
    session.commit()
    return p.DeviceToken(
        device_id=device_id,
        venue_id=by.venue_id,
        name=req.name,
        token=token,
        expires_at=expires,
        role_ceiling=ceiling,
    )


def _may_register_again(device: Device) -> bool:
    """Revoked, or registered but never heard from (its token was lost before it synced)."""
    return device.revoked_at is not None or (device.last_seq == 0 and device.last_seen_at is None)


def device_info(device: Device) -> p.DeviceInfo:
    return p.DeviceInfo(
        id=device.id,
        venue_id=device.venue_id,
        name=device.name,
        role_ceiling=Role(device.role_ceiling),
        created_at=device.created_at,
        revoked_at=device.revoked_at,
        last_seq=device.last_seq,
        last_seen_at=device.last_seen_at,
    )


def list_devices(session: Session, venue_id: uuid.UUID) -> list[p.DeviceInfo]:
    rows = session.scalars(select(Device).where(Device.venue_id == venue_id).order_by(Device.name))
    return [device_info(d) for d in rows]


def revoke_device(
    session: Session, now: datetime, venue_id: uuid.UUID, device_id: uuid.UUID
) -> p.DeviceInfo:
    device = session.get(Device, device_id)
    if device is None or device.venue_id != venue_id:
        raise error(404, "There is no such desk in this venue.")
    if device.revoked_at is None:
        device.revoked_at = now
        session.execute(update(Token).where(Token.device_id == device_id).values(revoked_at=now))
        # Wake the venue's event streams (on every instance): each checks its token again.
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": f"{venue_id}:0"},
        )
    session.commit()
    return device_info(device)


def set_ceiling(
    session: Session, venue_id: uuid.UUID, device_id: uuid.UUID, ceiling: Role
) -> p.DeviceInfo:
    """An admin decides how high a desk may act (a stolen reception PC is not an admin)."""
    device = session.get(Device, device_id, with_for_update=True)
    if device is None or device.venue_id != venue_id:
        raise error(404, "There is no such desk in this venue.")
    device.role_ceiling = ceiling.value
    session.commit()
    return device_info(device)


def create_staff(
    session: Session,
    now: datetime,
    venue_id: uuid.UUID,
    req: p.NewStaff,
    pin_hash: str | None = None,
) -> p.StaffInfo:
    """``pin_hash``: their desk PIN's hash (app.domain.pin_hash), so desks sign them in."""
    staff = StaffMember(
        venue_id=venue_id,
        username=req.username,
        name=" ".join(req.name.split()),
        role=req.role.value,
        password_hash=hash_password(req.password),
        pin_hash=pin_hash,
        updated_at=now,
    )
    session.add(staff)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise error(409, f"There is already a staff member called '{req.username}'.") from None
    staff.version = bump_version(session, venue_id)
    session.commit()
    return staff_info(staff)


def set_pin(
    session: Session, now: datetime, venue_id: uuid.UUID, username: str, pin_hash: str
) -> p.StaffInfo:
    """Give a member of staff a desk PIN from the server; every desk takes it on its next pull."""
    staff = session.scalars(
        select(StaffMember)
        .where(StaffMember.venue_id == venue_id, StaffMember.username == username)
        .with_for_update()
    ).one_or_none()
    if staff is None:
        raise error(404, f"There is no staff member '{username}' in this venue.")
    staff.pin_hash = pin_hash
    staff.updated_at = now
    staff.version = bump_version(session, venue_id)
    session.commit()
    return staff_info(staff)


def find_device(session: Session, venue_id: uuid.UUID, wanted: str) -> Device:
    """A desk of the venue by its id or its name (a name two desks share is refused)."""
    desks = list(session.scalars(select(Device).where(Device.venue_id == venue_id)))
    found = [d for d in desks if wanted in (str(d.id), d.name)]
    if len(found) == 1:
        return found[0]
    listed = "; ".join(f"{d.name} ({d.id}, up to {d.role_ceiling})" for d in desks) or "none"
    if found:
        raise error(409, f"Several desks are called '{wanted}'; name one by its id: {listed}.")
    raise error(404, f"This venue has no desk '{wanted}'. Its desks: {listed}.")


def list_staff(session: Session, venue_id: uuid.UUID) -> list[p.StaffInfo]:
    rows = session.scalars(
        select(StaffMember).where(StaffMember.venue_id == venue_id).order_by(StaffMember.username)
    )
    return [staff_info(s) for s in rows]


def deactivate_staff(
    session: Session, now: datetime, by: StaffPrincipal, staff_id: uuid.UUID
) -> p.StaffInfo:
    staff = session.get(StaffMember, staff_id, with_for_update=True)
    if staff is None or staff.venue_id != by.venue_id:
        raise error(404, "There is no such staff member in this venue.")
    if staff.id == by.staff_id:
        raise error(409, "You cannot deactivate yourself; ask another admin.")
    if staff.active:
        staff.active = False
        staff.updated_at = now
        staff.version = bump_version(session, by.venue_id)
        session.execute(update(Token).where(Token.staff_id == staff.id).values(revoked_at=now))
    session.commit()
    return staff_info(staff)


def clear_failures(session: Session, venue_id: uuid.UUID, username: str) -> None:
    """Forget every count for this name (a manager reset the password)."""
    session.execute(
        delete(LoginFailures).where(
            LoginFailures.venue_id == venue_id, LoginFailures.username == username
        )
    )


_SUMMARY = text(
    "SELECT v.name, "
    "(SELECT count(*) FROM bookings b WHERE b.venue_id = v.id AND b.status <> 'cancelled'), "
    "(SELECT count(*) FROM devices d WHERE d.venue_id = v.id AND d.revoked_at IS NULL) "
    "FROM venues v WHERE v.id = :venue"
)


def venue_summary(session: Session, venue_id: uuid.UUID) -> p.VenueSummary:
    name, bookings, desks = session.execute(_SUMMARY, {"venue": venue_id}).one()
    staff = session.scalars(
        select(StaffMember.username)
        .where(StaffMember.venue_id == venue_id, StaffMember.active)
        .order_by(StaffMember.username)
    ).all()
    return p.VenueSummary(venue_name=name, bookings=bookings, staff=list(staff), desks=desks)
