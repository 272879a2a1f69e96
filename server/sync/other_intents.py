"""Judges of customer, floor plan and re-arrangement intents."""

from __future__ import annotations

from psycopg.errors import ExclusionViolation
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from app.domain.booking import ACTIVE, BookingStatus
from app.domain.errors import InvalidInput
from app.domain.floorplan import Shape
from app.domain.floorplan import Table as DomainTable
from app.domain.permissions import Action
from app.sync import protocol as p
from server.sync import judging as j
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict
from server.sync.models import BookingTable, Customer
from server.sync.placement import during, lock_tables, release
from server.venues.models import Area, DiningTable


def upsert_customer(ctx: IntentContext, m: p.UpsertCustomer) -> Verdict:
    a = m.args
    ctx.staff.require(Action.CREATE_BOOKING)
    if m.entity_id != a.id:
        raise Rejected("The intent's entity id and the customer's id differ.")
    customer = ctx.session.get(Customer, a.id, with_for_update=True)
    if customer is None:
        if a.vip:
            ctx.staff.require(Action.FLAG_VIP)
        j.ensure_customer(ctx, a)
        return APPLIED
    if customer.venue_id != ctx.venue_id:
        raise Rejected("This customer belongs to another venue.")
    if a.vip != customer.vip:
        ctx.staff.require(Action.FLAG_VIP)
    stale = m.base_version < customer.version
    previous = m.previous if stale else {}
    customer.name = " ".join(a.name.split())
    customer.phone, customer.email, customer.vip = a.phone, a.email, a.vip
    customer.tags = list(a.tags)
    customer.marketing_consent = a.marketing_consent
    seen = previous.get("notes")
    if stale and seen is not None and str(seen) != customer.notes and a.notes != customer.notes:
        stamp = ctx.venue.local(m.device_time).strftime("%d %b %H:%M")
        customer.notes = f"{customer.notes}\n— {ctx.staff.name}, {stamp}: {a.notes}"
    else:
        customer.notes = a.notes
    customer.updated_at = ctx.now
    ctx.touch(customer)
    return Verdict(p.OutcomeKind.MERGED) if stale else APPLIED


def update_table(ctx: IntentContext, m: p.UpdateTable) -> Verdict:
    a = m.args
    ctx.staff.require(Action.EDIT_FLOOR_PLAN)
    area = ctx.session.get(Area, a.area_id)
    if area is None or area.venue_id != ctx.venue_id:
        raise Rejected(f"There is no area {a.area_id} in this venue.")
    DomainTable(
        id=str(m.entity_id),
        number=a.number,
        area_id=str(a.area_id),
        min_covers=a.min_covers,
        max_covers=a.max_covers,
        shape=Shape(a.shape) if a.shape in Shape._value2member_map_ else Shape.SQUARE,
    )
    table = ctx.session.get(DiningTable, m.entity_id, with_for_update=True)
    if table is not None and table.venue_id != ctx.venue_id:
        raise Rejected("This table belongs to another venue.")
    if a.active:
        clash = ctx.session.scalar(
            select(DiningTable.id).where(
                DiningTable.venue_id == ctx.venue_id,
                DiningTable.number == a.number,
                DiningTable.active,
                DiningTable.id != m.entity_id,
            )
        )
        if clash is not None:
            raise Rejected(f"Another active table is already number {a.number}.")
    if table is None:
        table = DiningTable(id=m.entity_id, venue_id=ctx.venue_id, version=0)
        ctx.session.add(table)
    for name, value in a.model_dump().items():
        setattr(table, name, value)
    table.updated_at = ctx.now
    ctx.touch(table)
    ctx.session.flush()
    return APPLIED


def rearrange(ctx: IntentContext, m: p.Rearrange) -> Verdict:
    """Several bookings change tables in one transaction, checked as a whole.

    The exclusion constraint is deferred while the moves are made (so two
    bookings can swap tables) and checked before the outcome is written.
    """
    ctx.staff.require(Action.MOVE)
    session = ctx.session
    session.execute(text("SET CONSTRAINTS booking_tables_no_overlap DEFERRED"))
    lock_tables(ctx, sorted({t for move in m.args.moves for t in move.table_ids}))
    for move in sorted(m.args.moves, key=lambda mv: mv.booking_id):
        booking = j.load_booking(ctx, move.booking_id)
        if booking.status not in ACTIVE:
            raise Rejected(
                f"Booking {booking.reference} is {booking.status}; a re-arrangement "
                "only moves bookings that hold tables."
            )
        tables = j.table_ids(ctx, move.table_ids)
        if booking.status == BookingStatus.SEATED and tables != sorted(booking.table_ids):
            raise Rejected(
                f"Booking {booking.reference} is seated; seated parties are never "
                "moved by a re-arrangement."
            )
        if move.base_version < booking.version:
            raise Rejected(
                f"Booking {booking.reference} changed on another desk after this "
                "plan was made; nothing was moved. Re-arrange again."
            )
        try:
            booking.combined = j.check_seating(ctx, tables, booking.party_size)
        except InvalidInput as error:
            raise Rejected(f"Booking {booking.reference}: {error}") from None
        booking.table_ids = tables
        booking.updated_at = ctx.now
        ctx.touch(booking)
        session.flush()
        release(ctx, booking)
        session.execute(
            insert(BookingTable),
            [
                {
                    "booking_id": booking.id,
                    "table_id": t,
                    "venue_id": ctx.venue_id,
                    "during": during(booking),
                }
                for t in tables
            ],
        )
    try:
        session.execute(text("SET CONSTRAINTS booking_tables_no_overlap IMMEDIATE"))
    except IntegrityError as exc:
        if not isinstance(exc.orig, ExclusionViolation):
            raise
        raise Rejected(
            "This re-arrangement would put two bookings on one table at the same "
            "time; nothing was moved."
        ) from None
    return APPLIED
