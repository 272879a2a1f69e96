"""A freed table is offered to the best waiting guest who fits, held, and passed on."""

import sqlite3
from dataclasses import replace

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import DomainError
from app.domain.waitlist import SkipReason
from app.models.uow import Store
from app.services.desk import Desk
from tests.integration.test_use_cases import WEDNESDAY, party, wednesday


def table(desk, number):
    return desk.queries.venue().plan.table_by_number(number).id


@pytest.fixture
def night(desk, reception, clock):
    """Ava holds table 7 at 20:00; Ben (4) and a birthday party of 6 wait; it is 19:30."""
    clock.now = wednesday(desk, 19, 30)
    ava = desk.create.create_booking(
        reception, party(desk, 4, 20, name="Ava Wood", table_ids=(table(desk, 7),))
    ).booking
    ben = desk.create.add_to_waitlist(
        reception, party(desk, 4, 20, name="Ben Ho", phone="0113 496 0101")
    ).booking
    cat = desk.create.add_to_waitlist(
        reception,
        party(desk, 6, 20, name="Cat Lee", phone="0113 496 0102", occasion="birthday"),
    ).booking
    return ava, ben, cat


def offered(desk):
    return [(v.customer.name, v.tables) for v in desk.offers.offers(WEDNESDAY)]


def test_a_cancelled_table_is_offered_to_the_best_guest_who_fits_and_held_ten_minutes(
    desk, reception, night, clock
):
    ava, _, _ = night

    desk.lifecycle.cancel(reception, ava.id, "called off")

    [offer] = desk.offers.offers(WEDNESDAY)
    assert (offer.customer.name, offer.tables, offer.why) == ("Ben Ho", "7", "cancellation")
    assert offer.expires_at == clock.now.replace(minute=40)
    assert offer.begins == wednesday(desk, 20)
    [skip] = desk.offers.fairness_log(WEDNESDAY)
    assert (skip.customer_name, skip.tables, skip.reason) == (
        "Cat Lee",
        "7",
        SkipReason.TOO_BIG.value,
    )


def test_a_held_table_cannot_be_booked_for_someone_else_while_the_guest_decides(
    desk, reception, night, db_path
):
    ava, _, _ = night
    desk.lifecycle.cancel(reception, ava.id)

    with pytest.raises(
        DomainError, match="Table 7 is held for Ben Ho's waitlist offer until 19:40"
    ):
        desk.create.create_booking(
            reception,
            party(desk, 4, 20, name="Dan Oz", phone="0113 496 0108", table_ids=(table(desk, 7),)),
        )
    other = desk.create.create_booking(
        reception, party(desk, 4, 20, name="Dan Oz", phone="0113 496 0108")
    ).booking

    assert table(desk, 7) not in other.table_ids
    assert desk.queries.floor_at(WEDNESDAY, wednesday(desk, 20, 30))[
        table(desk, 7)
    ].state.value == ("held")


def test_accepting_the_offer_seats_the_guest_at_the_held_table_and_closes_the_offer(
    desk, reception, night, db_path
):
    ava, ben, _ = night
    desk.lifecycle.cancel(reception, ava.id)
    [offer] = desk.offers.offers(WEDNESDAY)

    result = desk.lifecycle.promote(reception, ben.id, offer.seating.table_ids, offer.begins)

    assert result.booking.status is BookingStatus.CONFIRMED
    assert result.booking.table_ids == (table(desk, 7),)
    assert offered(desk) == []
    with sqlite3.connect(db_path) as conn:
        outcome = conn.execute("SELECT outcome FROM waitlist_offer").fetchall()
    assert outcome == [("accepted",)]


def add_eve_a_minute_later(desk, reception, clock):
    clock.advance(minutes=1)
    desk.create.add_to_waitlist(
        reception, party(desk, 2, 20, name="Eve Ray", phone="0113 496 0103")
    )


def test_a_declined_offer_passes_to_the_next_guest_who_fits_and_is_logged(
    desk, reception, night, clock
):
    ava, ben, _ = night
    add_eve_a_minute_later(desk, reception, clock)
    desk.lifecycle.cancel(reception, ava.id)

    desk.offers.decline(ben.id)

    assert offered(desk) == [("Eve Ray", "7")]
    reasons = [(s.customer_name, s.reason) for s in desk.offers.fairness_log(WEDNESDAY)]
    assert ("Ben Ho", SkipReason.DECLINED.value) in reasons


def test_an_offer_whose_party_grew_past_the_table_passes_on_and_staff_are_told(
    desk, reception, night, clock
):
    ava, ben, _ = night
    add_eve_a_minute_later(desk, reception, clock)
    desk.lifecycle.cancel(reception, ava.id)
    desk.edits.edit_details(reception, ben.id, party_size=5)

    told = desk.offers.news(desk.offers.settle(WEDNESDAY))

    assert offered(desk) == [("Eve Ray", "7")]
    assert told.startswith(
        "Ben Ho's party of 5 no longer fits table 7, so it is no longer held for them. "
        "Table 7 offered to Eve Ray (party of 2), held until "
    )
    reasons = [(s.customer_name, s.reason) for s in desk.offers.fairness_log(WEDNESDAY)]
    assert ("Ben Ho", SkipReason.TOO_BIG.value) in reasons


def test_an_offered_table_cut_to_a_two_goes_to_a_pair_and_one_taken_off_the_plan_to_nobody(
    desk, reception, manager, night, clock
):
    ava, _, _ = night
    add_eve_a_minute_later(desk, reception, clock)
    desk.lifecycle.cancel(reception, ava.id)
    seven = desk.queries.venue().plan.table_by_number(7)

    desk.floor.save_table(manager, replace(seven, min_covers=1, max_covers=2))
    cut = desk.offers.news(desk.offers.settle(WEDNESDAY))
    passed_to_eve = offered(desk)
    desk.floor.save_table(manager, replace(seven, min_covers=1, max_covers=2, active=False))
    gone = desk.offers.news(desk.offers.settle(WEDNESDAY))

    assert passed_to_eve == [("Eve Ray", "7")]
    assert cut.startswith("Ben Ho's party of 4 no longer fits table 7")
    assert offered(desk) == []
    assert gone == "Table 7 is no longer offered to Eve Ray; tell them if they were called."


def test_an_unanswered_offer_expires_after_ten_minutes_and_moves_on(desk, reception, night, clock):
    ava, _, _ = night
    add_eve_a_minute_later(desk, reception, clock)
    desk.lifecycle.cancel(reception, ava.id)

    clock.advance(minutes=9)
    assert desk.offers.settle(WEDNESDAY) == ()
    clock.advance(minutes=1)
    desk.offers.settle(WEDNESDAY)

    assert offered(desk) == [("Eve Ray", "7")]
    reasons = [(s.customer_name, s.reason) for s in desk.offers.fairness_log(WEDNESDAY)]
    assert ("Ben Ho", SkipReason.EXPIRED.value) in reasons


def test_a_guest_who_leaves_the_list_hands_their_offer_on(desk, reception, night, clock):
    ava, ben, _ = night
    add_eve_a_minute_later(desk, reception, clock)
    desk.lifecycle.cancel(reception, ava.id)

    desk.lifecycle.cancel(reception, ben.id, "went elsewhere")

    assert offered(desk) == [("Eve Ray", "7")]


def test_a_table_nobody_fitted_is_offered_at_once_to_a_guest_who_joins_later(
    desk, reception, night
):
    ava, ben, _ = night
    desk.lifecycle.cancel(reception, ben.id)
    desk.lifecycle.cancel(reception, ava.id)
    assert offered(desk) == []

    result = desk.create.add_to_waitlist(
        reception, party(desk, 3, 20, name="Fay Gu", phone="0113 496 0104")
    )

    assert offered(desk) == [("Fay Gu", "7")]
    assert "Table 7 came free: it is held for them until 19:40." in result.message


def test_an_early_finish_frees_the_table_only_until_its_next_booking(desk, reception, clock):
    clock.now = wednesday(desk, 18, 0)
    seven = (table(desk, 7),)
    early = desk.create.create_booking(
        reception, party(desk, 4, 18, name="Gus Am", table_ids=seven)
    ).booking
    desk.create.create_booking(
        reception, party(desk, 4, 20, name="Hal Bo", phone="0113 496 0105", table_ids=seven)
    )
    long_stay = desk.create.add_to_waitlist(
        reception, party(desk, 4, 18, name="Ida Cy", phone="0113 496 0106", occasion="birthday")
    ).booking
    desk.create.add_to_waitlist(
        reception,
        party(desk, 2, 18, name="Jo Dee", phone="0113 496 0107", duration_minutes=60),
    )
    desk.lifecycle.seat(reception, early.id)

    clock.now = wednesday(desk, 18, 45)
    desk.lifecycle.complete(reception, early.id)

    assert offered(desk) == [("Jo Dee", "7")]
    [skip] = desk.offers.fairness_log(WEDNESDAY)
    assert (skip.customer_name, skip.reason) == ("Ida Cy", SkipReason.TOO_SHORT.value)
    assert long_stay.duration_minutes > 75


def test_accepting_an_offer_for_a_later_time_moves_the_guest_and_journals_both_changes(
    desk, reception, clock, db_path
):
    clock.now = wednesday(desk, 18, 0)
    ava = desk.create.create_booking(
        reception, party(desk, 4, 21, name="Ava Wood", table_ids=(table(desk, 7),))
    ).booking
    ben = desk.create.add_to_waitlist(
        reception, party(desk, 4, 18, name="Ben Ho", phone="0113 496 0101")
    ).booking
    desk.lifecycle.cancel(reception, ava.id)
    [offer] = desk.offers.offers(WEDNESDAY)
    assert offer.begins == wednesday(desk, 21)

    desk.lifecycle.promote(reception, ben.id, offer.seating.table_ids, offer.begins)

    with sqlite3.connect(db_path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM outbox ORDER BY device_seq")]
    assert names[-2:] == ["move_booking", "set_status"]
    assert desk.queries.booking(ben.id).booking.start == wednesday(desk, 21)


def test_open_offers_survive_a_restart_of_the_desk(desk, reception, night, db_path, clock):
    ava, _, _ = night
    desk.lifecycle.cancel(reception, ava.id)
    desk.store.close()

    again = Desk(Store(db_path), clock)

    assert [(v.customer.name, v.tables) for v in again.offers.offers(WEDNESDAY)] == [
        ("Ben Ho", "7")
    ]
    again.store.close()


def test_a_guest_seated_on_their_offered_table_by_other_means_does_not_pass_it_on(
    desk, reception, night, clock
):
    ava, ben, _ = night
    add_eve_a_minute_later(desk, reception, clock)
    desk.lifecycle.cancel(reception, ava.id)
    with desk.store.unit_of_work() as uow:
        # As sync would bring it: Ben promoted onto table 7 on the other desk.
        waiting = uow.bookings.get(ben.id)
        promoted = replace(waiting, status=BookingStatus.CONFIRMED, table_ids=(table(desk, 7),))
        uow.bookings.save(promoted, WEDNESDAY)
        uow.commit()

    events = desk.offers.settle(WEDNESDAY)

    assert offered(desk) == []
    assert desk.offers.news(events) == ""
