"""Refused changes in staff words: "New booking for Ada Lovelace, party of 4"."""

from __future__ import annotations

from collections.abc import Collection

from app.domain.errors import NotFound
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.sync_repositories import RefusedChange, RefusedElsewhere
from app.models.uow import Reader
from app.protocol import CreateBookingArgs
from app.protocol import IntentName as I

# What each intent did to a booking, as the start of a sentence naming the booking.
BOOKING_ACTIONS = {
    I.MOVE_BOOKING: "Move of booking",
    I.EDIT_DETAILS: "Change to the details of booking",
    I.RECORD_SPEND: "Spend recorded for booking",
    I.SET_STATUS: "Status change of booking",
    I.CANCEL: "Cancellation of booking",
    I.UNDO_CANCEL: "Undo of the cancellation of booking",
    I.REARRANGE: "Re-arrangement of tables around booking",
    I.RESOLVE_CONFLICT: "Resolution of the conflict on booking",
    I.RECORD_DEPOSIT_PAYMENT: "Deposit paid at the bar for booking",
    I.WAIVE_DEPOSIT: "Waiver of the deposit of booking",
    I.GIVE_BACK_DEPOSIT: "Money given back on the deposit of booking",
    I.REQUEST_DEPOSIT: "Payment link for the deposit of booking",
    I.RESEND_DEPOSIT_LINK: "Payment link sent again for booking",
}


def what_elsewhere(reader: Reader, rules: VenueRules, r: RefusedElsewhere) -> str:
    """Another desk's refused change in staff words; a refused new booking never reached
    this desk, so it is told from what was asked."""
    if r.name == I.CREATE_BOOKING:
        asked = CreateBookingArgs.model_validate(r.args)
        return (
            f"New booking for {asked.customer.name}, party of {asked.party_size}, "
            f"{rules.venue.show_day_time(asked.start)}"
        )
    return words_for(reader, rules, RefusedChange(0, r.name, r.entity_id, r.reason, r.refused_at))


def words_for(reader: Reader, rules: VenueRules, refused: RefusedChange) -> str:
    name, entity_id = refused.name, refused.entity_id
    if name == I.CREATE_BOOKING:
        booking = reader.bookings.get(entity_id)
        if booking is None:
            return "New booking"
        return (
            f"New booking for {_guest(reader, booking.customer_id)}, party of {booking.party_size}"
        )
    if name in BOOKING_ACTIONS:
        return f"{BOOKING_ACTIONS[I(name)]} {_booking(reader, entity_id)}"
    if name == I.UPSERT_CUSTOMER:
        return f"Change to guest {_guest(reader, entity_id)}"
    if name == I.ERASE_GUEST:
        return "Erasure of a guest who asked to be forgotten"
    if name == I.SET_DEPOSIT_POLICY:
        return "New deposits and packages for the venue"
    if name == I.UPDATE_TABLE:
        return f"Change to table {_tables(rules, [entity_id])}"
    if name == I.UPDATE_AREA:
        area = reader.venue.stored_area(entity_id)
        return f"Change to area {area.fields['name']}" if area else "Change to an area"
    if name == I.UPDATE_COMBINATION:
        combination = reader.venue.stored_combination(entity_id)
        if combination is None:
            return "Change to a combination"
        return f"Change to combination {_tables(rules, combination.fields['table_ids'])}"
    return f"A change ({name.replace('_', ' ')})"


def _booking(reader: Reader, booking_id: str) -> str:
    booking = reader.bookings.get(booking_id)
    if booking is None:
        return "no longer on this desk"
    return f"{format_reference(booking.reference)} ({_guest(reader, booking.customer_id)})"


def _guest(reader: Reader, customer_id: str) -> str:
    customer = reader.customers.get(customer_id)
    return customer.name if customer and customer.name else "a guest"


def _tables(rules: VenueRules, table_ids: Collection[str]) -> str:
    try:
        return rules.plan.numbers(table_ids)
    except NotFound:
        return "no longer on the plan"
