"""The review counts a cancellation as late by the free window of the deposit policy its
booking was priced under, read from the policy versions the desk has pulled."""

import uuid
from datetime import UTC, date, datetime

from app.models.policy_repository import write_pulled_policies
from app.protocol.rows import DepositPolicyRow
from app.services.booking_create import NewBooking
from app.services.review import NightReviews

SATURDAY = date(2026, 11, 28)


def pull_policy(desk, version: int, free_hours: int) -> None:
    """A policy version as the server sends it (the admin sets policies there)."""
    venue_id = uuid.UUID(desk.queries.venue().venue.id)
    row = DepositPolicyRow(
        id=uuid.uuid4(),
        venue_id=venue_id,
        version=10 + version,
        updated_at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC),
        policy_version=version,
        terms={"free_cancellation_hours": free_hours},
        set_by="Owner",
        set_at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC),
    )
    with desk.store.unit_of_work() as uow:
        write_pulled_policies(uow.session, [row])
        uow.commit()


def test_a_cancellation_30_hours_ahead_is_late_under_a_two_day_window_not_a_one_day_one(
    desk, manager, clock
):
    plan = desk.queries.venue().plan

    def book(name: str, phone: str, table: int) -> str:
        cmd = NewBooking(
            name=name,
            phone=phone,
            party_size=2,
            start=datetime(2026, 11, 28, 20, 0, tzinfo=UTC),
            table_ids=(plan.table_by_number(table).id,),
        )
        return desk.create.create_booking(manager, cmd).booking.id

    pull_policy(desk, 1, 48)
    under_two_days = book("Ann Ash", "0113 496 0001", 1)
    pull_policy(desk, 2, 24)
    under_one_day = book("Ben Birch", "0113 496 0002", 2)
    clock.now = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 30 hours before
    desk.lifecycle.cancel(manager, under_two_days, "guest cancelled")
    desk.lifecycle.cancel(manager, under_one_day, "guest cancelled")
    clock.now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)

    night = NightReviews(desk.store, clock).night(manager, SATURDAY)

    late = {v.booking.id: v.late_cancel for v in night.review.visits}
    assert late == {under_two_days: True, under_one_day: False}
    assert night.kpi("late_cancel_rate").text == "50.0%"
    assert [(i.kind, i.guest) for i in night.review.incidents] == [("late cancellation", "Ann Ash")]


def test_a_guest_who_cancels_after_their_time_is_shown_cancelling_after_it_not_a_negative_time(
    desk, manager, clock
):
    plan = desk.queries.venue().plan
    start = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)

    def book(name: str, phone: str, table: int) -> str:
        cmd = NewBooking(
            name=name,
            phone=phone,
            party_size=2,
            start=start,
            table_ids=(plan.table_by_number(table).id,),
        )
        return desk.create.create_booking(manager, cmd).booking.id

    on_time, after = book("Cat Cole", "0113 496 0003", 1), book("Dan Dale", "0113 496 0004", 2)
    clock.now = start
    desk.lifecycle.cancel(manager, on_time, "guest rang at eight")
    clock.now = datetime(2026, 11, 28, 20, 15, 40, tzinfo=UTC)
    desk.lifecycle.cancel(manager, after, "guest rang, not coming")
    clock.now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)

    night = NightReviews(desk.store, clock).night(manager, SATURDAY)

    assert {i.guest: i.detail for i in night.review.incidents} == {
        "Cat Cole": "cancelled Sat 28 Nov, 20:00, at its time",
        "Dan Dale": "cancelled Sat 28 Nov, 20:15, 0h15 after",
    }
