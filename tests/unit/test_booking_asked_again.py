"""A booking made again (entered again after a server restore) is asked for by a create
intent that names what the booking holds: the intent's proposal is the booking again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.domain.booking import BookingStatus, Source
from app.protocol import CreateBookingArgs, CustomerData, meaning
from tests.unit.bookings import a_booking

AT = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
TABLE = str(uuid.UUID(int=7))
GUEST = uuid.UUID(int=42)


def test_a_booking_asked_for_again_is_proposed_as_it_was_field_by_field():
    booking = a_booking(
        AT,
        BookingStatus.CONFIRMED,
        customer_id=str(GUEST),
        table_ids=(TABLE,),
        special_requests="a high chair",
        occasion="birthday",
        notes="regulars",
        priority_score=310,
        source=Source.WEB,
        package_id="prosecco",
    )
    customer = CustomerData(id=GUEST, name="Ada Lovelace", phone="+441134960000")
    asked = meaning.asking_for(booking) | {"customer": customer, "table_ids": [TABLE]}

    proposed = meaning.proposed_booking(CreateBookingArgs(**asked), booking.id, "v", AT)

    assert proposed == booking
    assert asked["reference"] == "ABCDEFGHJK0" and asked["package_id"] == "prosecco"
