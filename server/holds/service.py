"""Holds: a short claim on tables and a time range, with a fencing token.

Creating one locks the tables' rows (in id order, so two desks cannot
deadlock), so two holds on one table and time can never both be granted. A
hold's token comes from a sequence, so a later hold always carries a larger
one; a booking that presents a token whose hold ran out is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, text
from sqlalchemy.orm import Session

from app import protocol as p
from app.domain.references import format_reference
from server.auth.models import Device, StaffMember
from server.auth.principals import DevicePrincipal
from server.errors import error
from server.holds.models import Hold
from server.messages.offers import tell_guest
from server.settings import Settings
from server.sync.models import Booking, BookingTable
from server.venues.models import DiningTable
from server.venues.service import venue_rules

MAX_HOLD_SPAN = timedelta(hours=12)
_GUEST_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('backroom.offer'), hashtext(:booking))")


def _live(venue_id: Any, now: Any):  # type: ignore[no-untyped-def]  # noqa: ANN202
    return (Hold.venue_id == venue_id) & Hold.released_at.is_(None) & (Hold.expires_at > now)


@cache
def _live_holds() -> Select[tuple[Hold, str, str | None]]:
    """Built once: every pull reads the live holds (docs/benchmarks.md, "Plans kept")."""
    return (
        select(Hold, Device.name, StaffMember.name)
        .join(Device, Device.id == Hold.device_id)
        .outerjoin(StaffMember, StaffMember.id == Hold.staff_id)
        .where(_live(bindparam("venue"), bindparam("now")))
        .order_by(Hold.created_at)
    )


def live_holds(session: Session, venue_id: uuid.UUID, now: datetime) -> list[p.HoldRecord]:
    rows = session.execute(_live_holds(), {"venue": venue_id, "now": now}).all()
    return [_record(hold, device_name, staff_name) for hold, device_name, staff_name in rows]


def _record(hold: Hold, device_name: str, staff_name: str | None) -> p.HoldRecord:
    return p.HoldRecord(
        id=hold.id,
        venue_id=hold.venue_id,
        booking_id=hold.booking_id,
        fencing_token=hold.fencing_token,
        table_ids=hold.table_ids,
        start=hold.start,
        end=hold.end,
        device_id=hold.device_id,
        device_name=device_name,
        staff_name=staff_name or "",
        expires_at=hold.expires_at,
    )


def create_hold(
    session: Session,
    settings: Settings,
    now: datetime,
    device: DevicePrincipal,
    req: p.HoldRequest,
) -> p.HoldGranted:
    if req.end <= req.start or req.end - req.start > MAX_HOLD_SPAN:
        raise error(400, "A hold's end must be after its start, at most 12 hours later.")
    if req.offer_until is not None and req.offer_until <= now:
        raise error(409, "This waitlist offer has already ended; nothing was held or sent.")
    ids = sorted(set(req.table_ids))
    tables = list(
        session.scalars(
            select(DiningTable)
            .where(DiningTable.id.in_(ids), DiningTable.venue_id == device.venue_id)
            .order_by(DiningTable.id)
            .with_for_update()
        )
    )
    if len(tables) != len(ids):
        raise error(404, "A table in this hold is not in this venue.")
    numbers = " + ".join(str(t.number) for t in sorted(tables, key=lambda t: t.number))
    if req.staff_id is not None:
        staff = session.get(StaffMember, req.staff_id)
        if staff is None or staff.venue_id != device.venue_id or not staff.active:
            raise error(404, "The staff member named in this hold is not in this venue.")
    holder = session.execute(
        select(Hold, Device.name)
        .join(Device, Device.id == Hold.device_id)
        .where(
            _live(device.venue_id, now),
            Hold.table_ids.overlap(ids),
            Hold.start < req.end,
            Hold.end > req.start,
        )
        .limit(1)
    ).first()
    if holder is not None:
        hold, device_name = holder
        show = _shown(session, device)
        raise error(
            409,
            f"{device_name} is holding table {numbers} for {show(hold.start)}–"
            f"{show(hold.end)} until {show(hold.expires_at)}.",
        )
    _one_offer_at_a_time(session, now, device, req)
    span = func.tstzrange(req.start, req.end, "[)")
    booked = session.execute(
        select(Booking.reference)
        .join(BookingTable, BookingTable.booking_id == Booking.id)
        .where(
            BookingTable.table_id.in_(ids),
            BookingTable.during.op("&&")(span),
            Booking.id != (req.booking_id or uuid.UUID(int=0)),
        )
        .limit(1)
    ).scalar()
    if booked is not None:
        ref = format_reference(booked)
        raise error(409, f"Table {numbers} is already booked at that time (booking {ref}).")
    token = int(session.execute(text("SELECT nextval('hold_fencing_tokens')")).scalar_one())
    hold = Hold(
        venue_id=device.venue_id,
        device_id=device.device_id,
        staff_id=req.staff_id,
        table_ids=ids,
        start=req.start,
        end=req.end,
        booking_id=req.booking_id,
        fencing_token=token,
        expires_at=now + timedelta(seconds=settings.hold_seconds),
        offer_until=req.offer_until,
    )
    session.add(hold)
    if hold.offer_until is not None:
        session.flush()
        tell_guest(session, hold, now)
    session.commit()
    return p.HoldGranted(id=hold.id, fencing_token=token, expires_at=hold.expires_at)


def _shown(session: Session, device: DevicePrincipal) -> Callable[[datetime], str]:
    """Staff read a refusal on the desk: in the venue's time, as every time there."""
    rules = venue_rules(session, device.venue_id)
    return rules.venue.show_time if rules is not None else (lambda at: f"{at:%H:%M} UTC")


def _one_offer_at_a_time(
    session: Session, now: datetime, device: DevicePrincipal, req: p.HoldRequest
) -> None:
    """A guest is offered one table at a time: two desks each freeing a table may both
    pick the same guest, and the second offer is refused (nothing held, nothing sent);
    that desk passes its table on once it pulls the first desk's hold."""
    if req.offer_until is None or req.booking_id is None:
        return
    # The tables' locks do not serialise two offers of different tables: the guest's do.
    session.execute(_GUEST_LOCK, {"booking": str(req.booking_id)})
    offered = session.execute(
        select(Hold, Device.name)
        .join(Device, Device.id == Hold.device_id)
        .where(
            _live(device.venue_id, now),
            Hold.booking_id == req.booking_id,
            Hold.offer_until > now,
            Hold.device_id != device.device_id,
        )
        .limit(1)
    ).first()
    if offered is not None:
        hold, device_name = offered
        raise error(
            409,
            f"{device_name} is offering this guest a table until "
            f"{_shown(session, device)(hold.offer_until)}; a guest is offered one at a time.",
        )


def _own_hold(session: Session, device: DevicePrincipal, hold_id: uuid.UUID) -> Hold:
    hold = session.get(Hold, hold_id, with_for_update=True)
    if hold is None or hold.venue_id != device.venue_id:
        raise error(404, "There is no such hold in this venue.")
    if hold.device_id != device.device_id:
        raise error(403, "Only the desk that took a hold may renew or release it.")
    return hold


def renew_hold(
    session: Session,
    settings: Settings,
    now: datetime,
    device: DevicePrincipal,
    hold_id: uuid.UUID,
) -> p.HoldGranted:
    hold = _own_hold(session, device, hold_id)
    if hold.released_at is not None or hold.expires_at <= now:
        raise error(410, "This hold has run out; take a new one (another desk may have the table).")
    hold.expires_at = now + timedelta(seconds=settings.hold_seconds)
    tell_guest(session, hold, now)
    session.commit()
    return p.HoldGranted(id=hold.id, fencing_token=hold.fencing_token, expires_at=hold.expires_at)


def release_hold(
    session: Session, now: datetime, device: DevicePrincipal, hold_id: uuid.UUID
) -> None:
    hold = _own_hold(session, device, hold_id)
    if hold.released_at is None:
        hold.released_at = now
    session.commit()
