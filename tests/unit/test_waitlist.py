from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.waitlist import (
    Entry,
    EventKind,
    FreedTable,
    OfferNotOpen,
    Skip,
    SkipReason,
    Waitlist,
    Withdrawal,
    seat_from,
)

NINE = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)


def minutes(n):
    return NINE + timedelta(minutes=n)


def entry(booking_id, party, priority, minutes_waiting=0, vip=False):
    return Entry(booking_id, party, 120, priority, NINE - timedelta(minutes=minutes_waiting), vip)


def four_top(freed_id="t7", until=None, table="table-7"):
    return FreedTable(freed_id, (table,), 2, 4, NINE, until)


def listed(*entries):
    waitlist = Waitlist()
    for e in entries:
        waitlist, _ = waitlist.add(e, NINE)
    return waitlist


def test_a_freed_table_is_offered_to_the_highest_priority_guest_who_fits_and_held_ten_minutes():
    waitlist = listed(entry("low", 2, 100), entry("high", 4, 400), entry("big", 6, 900))

    waitlist, events = waitlist.table_freed(four_top(), NINE)

    [offered] = events
    assert offered.kind is EventKind.OFFERED
    assert offered.booking_id == "high"
    assert offered.offer.expires_at == minutes(10)
    assert [(s.booking_id, s.reason) for s in waitlist.log] == [("big", SkipReason.TOO_BIG)]


def test_a_declined_offer_passes_straight_to_the_next_guest_and_is_logged():
    waitlist = listed(entry("first", 2, 400), entry("second", 3, 300))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    waitlist, events = waitlist.decline("first", minutes(2))

    assert [(e.kind, e.booking_id) for e in events] == [
        (EventKind.DECLINED, "first"),
        (EventKind.OFFERED, "second"),
    ]
    assert waitlist.log[-1].reason is SkipReason.DECLINED
    assert waitlist.offer_for("second").expires_at == minutes(12)


def test_an_unanswered_offer_expires_after_the_hold_and_moves_on():
    waitlist = listed(entry("first", 2, 400), entry("second", 3, 300))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    still, nothing = waitlist.tick(minutes(9))
    waitlist, events = waitlist.tick(minutes(10))

    assert nothing == ()
    assert still.offer_for("first") is not None
    assert [(e.kind, e.booking_id) for e in events] == [
        (EventKind.EXPIRED, "first"),
        (EventKind.OFFERED, "second"),
    ]
    assert waitlist.log[-1] == Skip("first", "t7", SkipReason.EXPIRED, minutes(10))


def test_an_expired_offer_cannot_be_accepted_late():
    waitlist = listed(entry("first", 2, 400))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    with pytest.raises(OfferNotOpen, match="expired"):
        waitlist.accept("first", minutes(10))


def test_accepting_takes_the_guest_off_the_list():
    waitlist = listed(entry("first", 2, 400), entry("second", 3, 300))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    waitlist, [accepted] = waitlist.accept("first", minutes(3))

    assert accepted.kind is EventKind.ACCEPTED
    assert accepted.freed.table_ids == ("table-7",)
    assert [e.booking_id for e in waitlist.entries] == ["second"]
    assert waitlist.offers == ()


def test_two_tables_freeing_at_once_go_to_two_different_guests():
    waitlist = listed(entry("first", 2, 400), entry("second", 2, 300), entry("third", 2, 200))

    waitlist, a = waitlist.table_freed(four_top("t7"), NINE)
    waitlist, b = waitlist.table_freed(four_top("t8", table="table-8"), NINE)

    assert [a[0].booking_id, b[0].booking_id] == ["first", "second"]
    assert waitlist.log[-1].reason is SkipReason.HOLDING_OFFER


def test_a_guest_another_desk_is_offering_a_table_is_passed_over_with_the_reason():
    waitlist = replace(
        listed(entry("first", 2, 400), entry("second", 2, 300)), elsewhere=frozenset({"first"})
    )

    waitlist, [offered] = waitlist.table_freed(four_top(), NINE)

    assert offered.booking_id == "second"
    assert waitlist.log[-1] == Skip("first", "t7", SkipReason.OFFERED_ELSEWHERE, NINE)


def test_an_offer_to_a_guest_another_desk_now_offers_a_table_passes_to_the_next_guest():
    waitlist = listed(entry("first", 2, 400), entry("second", 2, 300))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    aside = replace(waitlist, elsewhere=frozenset({"first"}))
    aside, events = aside.step_aside(minutes(2))

    assert [(e.kind, e.booking_id) for e in events] == [
        (EventKind.WITHDRAWN, "first"),
        (EventKind.OFFERED, "second"),
    ]
    assert [o.booking_id for o in aside.offers] == ["second"]
    assert aside.log[-1] == Skip("first", "t7", SkipReason.OFFERED_ELSEWHERE, minutes(2))
    assert waitlist.step_aside(minutes(2)) == (waitlist, ())


def test_an_offer_whose_guest_outgrew_the_table_passes_on_but_not_one_running_short():
    waitlist = listed(entry("first", 2, 400), entry("second", 2, 300))
    waitlist, _ = waitlist.table_freed(four_top(until=minutes(125)), NINE)

    late, unchanged = waitlist.refit(minutes(8))
    grown = replace(waitlist, entries=(entry("first", 6, 400), entry("second", 2, 300)))
    grown, events = grown.refit(minutes(2))

    assert unchanged == ()  # at 21:08 a 120-minute stay no longer ends by 23:05: kept
    assert late == waitlist
    assert [(e.kind, e.booking_id, e.why) for e in events] == [
        (EventKind.WITHDRAWN, "first", Withdrawal.UNFIT),
        (EventKind.OFFERED, "second", None),
    ]
    assert grown.log[-1] == Skip("first", "t7", SkipReason.TOO_BIG, minutes(2))


def test_a_table_that_nobody_fits_waits_and_goes_to_the_next_guest_who_does():
    waitlist = listed(entry("big", 8, 900))
    waitlist, [unclaimed] = waitlist.table_freed(four_top(), NINE)

    waitlist, [offered] = waitlist.add(entry("pair", 2, 10), minutes(5))

    assert unclaimed.kind is EventKind.UNCLAIMED
    assert offered.kind is EventKind.OFFERED and offered.booking_id == "pair"


def test_a_table_free_only_until_the_next_booking_skips_guests_who_need_longer():
    waitlist = listed(Entry("long", 2, 150, 900, NINE), Entry("short", 2, 90, 10, NINE))
    freed = FreedTable("t7", ("table-7",), 2, 4, NINE, until=minutes(100))

    waitlist, [offered] = waitlist.table_freed(freed, NINE)

    assert offered.booking_id == "short"
    assert waitlist.log[-1].reason is SkipReason.TOO_SHORT


def test_a_guest_who_wants_a_later_time_is_skipped_when_the_table_is_taken_again_by_then():
    late = Entry("late", 2, 90, 500, NINE, start=minutes(60))
    early = Entry("early", 2, 90, 100, NINE)
    waitlist = listed(late, early)
    freed = FreedTable("t7", ("table-7",), 2, 4, NINE, until=minutes(120))

    waitlist, [offered] = waitlist.table_freed(freed, NINE)

    assert offered.booking_id == "early"
    assert (waitlist.log[-1].booking_id, waitlist.log[-1].reason) == ("late", SkipReason.TOO_SHORT)
    assert seat_from(late, freed, NINE) == minutes(60)
    assert seat_from(early, freed, minutes(5)) == minutes(5)


def test_a_vip_table_is_only_offered_to_vip_guests():
    waitlist = listed(entry("plain", 8, 900), entry("vip", 8, 10, vip=True))
    snug = FreedTable("snug", ("table-12",), 6, 10, NINE, vip=True)

    waitlist, [offered] = waitlist.table_freed(snug, NINE)

    assert offered.booking_id == "vip"
    assert waitlist.log[-1].reason is SkipReason.VIP_ONLY


def test_a_guest_leaving_the_list_hands_their_offer_on():
    waitlist = listed(entry("first", 2, 400), entry("second", 2, 300))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    waitlist, events = waitlist.remove("first", minutes(1))

    assert [(e.kind, e.booking_id) for e in events] == [
        (EventKind.WITHDRAWN, "first"),
        (EventKind.OFFERED, "second"),
    ]


def test_staff_using_the_freed_table_withdraws_its_offer():
    waitlist = listed(entry("first", 2, 400))
    waitlist, _ = waitlist.table_freed(four_top(), NINE)

    waitlist, [withdrawn] = waitlist.table_taken("t7", minutes(1))

    assert withdrawn.kind is EventKind.WITHDRAWN
    assert waitlist.offers == ()
    assert [e.booking_id for e in waitlist.entries] == ["first"]


def test_a_stretch_freed_inside_one_already_offered_is_not_offered_to_a_second_guest():
    # Table 7 came free 21:00-23:00 and is offered to "first"; a desk that missed the
    # table being taken and freed again is told 22:00-23:00 is free.
    waitlist = listed(entry("first", 2, 400), entry("second", 2, 300))
    waitlist, _ = waitlist.table_freed(four_top("t7", until=minutes(120)), NINE)
    inside = replace(four_top("again", until=minutes(120)), start=minutes(60))

    waitlist, events = waitlist.table_freed(inside, minutes(1))

    assert events == ()
    assert [(o.booking_id, o.freed.id) for o in waitlist.offers] == [("first", "t7")]


def test_only_the_part_of_a_freed_stretch_after_one_already_offered_is_offered():
    waitlist = listed(entry("first", 2, 400), entry("second", 2, 300))
    waitlist, _ = waitlist.table_freed(four_top("t7", until=minutes(150)), NINE)
    longer = replace(four_top("again", until=minutes(300)), start=minutes(30))

    waitlist, events = waitlist.table_freed(longer, minutes(1))

    [offered] = events
    assert (offered.booking_id, offered.freed.id) == ("second", "again")
    assert (offered.freed.start, offered.freed.until) == (minutes(150), minutes(300))
