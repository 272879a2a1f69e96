"""The review keeps its history nights' figures between calls, and shows a change to an
earlier night the next time it is asked: made on this desk, pulled from the server (a
booking's new version, a refund), or the floor plan's."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.domain.booking import BookingStatus
from app.domain.deposit_ledger import LedgerKind, PaymentMethod
from app.models.ledger_repository import write_pulled
from app.protocol import EntityKind
from app.protocol.codec import booking_row
from app.protocol.rows import LedgerRow
from app.services.booking_create import NewBooking
from app.services.deposits import TakeDeposit
from app.services.review import NightReviews
from app.sync import mirror

SATURDAY = date(2026, 11, 28)
TWO_SATURDAYS_BEFORE = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
MORNING_AFTER = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@pytest.fixture
def earlier_party(desk, manager, clock):
    """Six guests booked for two Saturdays before, £60 paid; seated and gone by the
    morning after the reviewed Saturday, which the review is then opened on."""
    clock.now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    plan = desk.queries.venue().plan
    cmd = NewBooking(
        name="Ann Ash",
        phone="0113 496 0001",
        party_size=6,
        start=TWO_SATURDAYS_BEFORE,
        table_ids=(plan.table_by_number(9).id,),
    )
    booking_id = desk.create.create_booking(manager, cmd).booking.id
    desk.deposits.take(manager, booking_id, TakeDeposit(6000, PaymentMethod.CASH))
    clock.now = TWO_SATURDAYS_BEFORE
    desk.lifecycle.seat(manager, booking_id)
    clock.now = datetime(2026, 11, 14, 22, 0, tzinfo=UTC)
    desk.lifecycle.complete(manager, booking_id)
    clock.now = MORNING_AFTER
    return booking_id


def test_a_change_made_on_this_desk_to_an_earlier_night_shows_in_the_next_review(
    desk, manager, clock, earlier_party
):
    reviews = NightReviews(desk.store, clock)
    assert reviews.night(manager, SATURDAY).kpi("covers").baseline_text == "avg 6 (1 Saturday)"
    clock.now = datetime(2026, 11, 14, 21, 0, tzinfo=UTC)
    desk.create.walk_in(manager, 4, (desk.queries.venue().plan.table_by_number(4).id,))
    clock.now = MORNING_AFTER

    night = reviews.night(manager, SATURDAY)

    assert night.kpi("covers").baseline_text == "avg 10 (1 Saturday)"


def test_a_booking_change_pulled_from_the_server_shows_even_when_it_is_stamped_earlier(
    desk, manager, clock, earlier_party
):
    reviews = NightReviews(desk.store, clock)
    assert (
        reviews.night(manager, SATURDAY).kpi("no_show_rate").baseline_text
        == "avg 0.0% (1 Saturday)"
    )
    with desk.store.read() as reader:
        b = reader.bookings.get(earlier_party)
    # Another desk's correction: a no-show after all, older than this desk's last change.
    pulled = replace(
        b,
        status=BookingStatus.NO_SHOW,
        version=b.version + 7,
        updated_at=datetime(2026, 11, 14, 21, 0, tzinfo=UTC),
    )
    with desk.store.unit_of_work() as uow:
        row = booking_row(pulled).model_dump()
        mirror.write(
            uow.session, EntityKind.BOOKING, row, desk.queries.venue().venue, MORNING_AFTER
        )
        uow.commit()

    night = reviews.night(manager, SATURDAY)

    assert night.kpi("no_show_rate").baseline_text == "avg 100.0% (1 Saturday)"
    assert night.kpi("covers").baseline_text == "avg 0 (1 Saturday)"


def test_a_refund_pulled_for_an_earlier_night_shows_in_the_next_review(
    desk, manager, clock, earlier_party
):
    reviews = NightReviews(desk.store, clock)
    assert reviews.night(manager, SATURDAY).kpi("deposits_refunded").baseline_text == (
        "avg £0.00 (1 Saturday)"
    )
    refund = LedgerRow(
        id=uuid.uuid4(),
        venue_id=uuid.UUID(desk.queries.venue().venue.id),
        version=50,
        updated_at=MORNING_AFTER,
        booking_id=uuid.UUID(earlier_party),
        kind=LedgerKind.REFUND,
        amount_pence=2500,
        currency="GBP",
        staff_id=uuid.UUID(manager.id),
        staff_name=manager.name,
        recorded_at=MORNING_AFTER,
        note="goodwill",
    )
    with desk.store.unit_of_work() as uow:
        write_pulled(uow.session, [refund])
        uow.commit()

    night = reviews.night(manager, SATURDAY)

    assert night.kpi("deposits_refunded").baseline_text == "avg £25.00 (1 Saturday)"
