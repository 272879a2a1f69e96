"""The golden night's review: every figure worked out by hand from tests/golden_night.py."""

from datetime import UTC, date, datetime

import pytest

from app.domain.deposit_ledger import LedgerKind
from app.domain.errors import InvalidInput, PermissionDenied
from app.domain.review import HourBar, PlaceLine
from app.services.review import NightReviews
from tests.golden_night import SATURDAY, build_golden_night, pulled, sat


@pytest.fixture
def golden(desk, manager, clock):
    ids = build_golden_night(desk, manager, clock)
    return NightReviews(desk.store, clock), ids


def test_the_golden_nights_tiles_are_the_figures_worked_out_by_hand(golden, manager):
    reviews, _ = golden

    night = reviews.night(manager, SATURDAY)

    shown = {k.key: k.text for k in night.kpis}
    assert shown == {
        # A 4 + B 2 + C 6 booked; W1 2 + W2 3 walked in; Pia's 4 came off the waitlist.
        "covers": "21",
        "covers_booked": "12",
        "covers_walk_in": "5",
        "covers_waitlist": "4",
        # A B C D E F H P: Quin never left the waitlist, walk-ins are not bookings.
        "bookings": "8",
        # Dan of the five parties that were due and came or not (A B C P came).
        "no_show_rate": "20.0%",
        # Eve, 2h30 before, of the 8 bookings; Fay cancelled 58 hours ahead, inside
        # the policy's 48-hour free window (the rule was a flat 24 h before: the same).
        "late_cancel_rate": "12.5%",
        "average_party": "3.5",
        # 75 80 105 105 115 115.
        "median_turn": "105 min",
        # 4×115 + 2×80 + 6×105 + 4×115 + 2×75 + 3×105 = 2,175 of 72 seats × 600 minutes.
        "utilisation": "5.0%",
        "deposits_taken": "£180.00",
        "deposits_refunded": "£60.00",
        "deposits_forfeited": "£60.00",
        "deposits_outstanding": "£60.00",
        # Nobody paid twice or after their booking could no longer take it.
        "deposits_to_give_back": "£0.00",
        # Ann £95 (table 4's £80 met), W1 £40 (no minimum), Cat £120 (booth 9's £150).
        "spend": "£255.00",
        "minimum_short": "£30.00",
        # Ann's prosecco for 4 (£100) and Cat's booth bottle service (£180); Dan never came.
        "packages_served": "2",
        "package_sales": "£280.00",
        "waitlist_offered": "2",
        "waitlist_accepted": "1",
        "waitlist_seated": "1",
        "waitlist_expired": "1",
    }
    assert night.review.utilisation.count == 2175
    assert night.review.utilisation.of == 43200
    assert night.review.funnel.offers == 5
    assert {k.baseline_text for k in night.kpis} == {"not enough history"}


def test_the_golden_nights_charts_count_each_party_where_it_sat(golden, manager):
    reviews, _ = golden

    review = reviews.night(manager, SATURDAY).review

    assert review.by_hour == (
        HourBar(17),
        HourBar(18),
        HourBar(19, booked=4),
        HourBar(20, booked=2, walk_in=2, waitlist=4),
        HourBar(21),
        HourBar(22, walk_in=3),
        HourBar(23, booked=6),
        HourBar(0),
        HourBar(1),
        HourBar(2),
    )
    assert review.party_mix == ((2, 2), (3, 1), (4, 2), (6, 1))
    assert review.turn_by_size == ((2, 77.5), (3, 105), (4, 115), (6, 105))


def test_the_party_seated_at_half_past_eleven_leaving_after_one_belongs_to_saturday(
    golden, manager
):
    reviews, ids = golden

    review = reviews.night(manager, SATURDAY).review
    sunday = reviews.night(manager, date(2026, 11, 29)).review

    [cat] = [v for v in review.visits if v.booking.id == ids["C"]]
    assert cat.turn_minutes == 105
    assert sunday.empty
    assert sunday.covers.total == 0


def test_the_golden_nights_tables_and_areas(golden, manager):
    reviews, _ = golden

    review = reviews.night(manager, SATURDAY).review

    busy = [t for t in review.tables if t.turns or t.no_shows]
    assert busy == [
        PlaceLine("1", "Main Bar", covers=2, turns=1, minutes=80),
        PlaceLine("4", "Main Bar", covers=4, turns=1, minutes=115),
        PlaceLine("9", "Booths", covers=6, turns=1, minutes=105),
        PlaceLine("10", "Booths", no_shows=1),
        PlaceLine("11", "Booths", covers=4, turns=1, minutes=115),
        PlaceLine("13", "Back Room", covers=2, turns=1, minutes=75),
        PlaceLine("14", "Back Room", covers=3, turns=1, minutes=105),
    ]
    assert review.areas == (
        PlaceLine("Main Bar", "Main Bar", covers=6, turns=2, minutes=195),
        PlaceLine("Booths", "Booths", covers=10, turns=2, minutes=220, no_shows=1),
        PlaceLine("Back Room", "Back Room", covers=5, turns=2, minutes=180),
        PlaceLine("VIP Snug", "VIP Snug"),
    )


def test_the_golden_nights_incidents_are_eves_late_cancel_and_dans_no_show(golden, manager):
    reviews, _ = golden

    review = reviews.night(manager, SATURDAY).review

    assert [(i.kind, i.guest, i.party, i.detail) for i in review.incidents] == [
        ("late cancellation", "Eve Eden", 6, "cancelled Sat 28 Nov, 18:00, 2h30 before"),
        ("no-show", "Dan Dale", 6, ""),
    ]


def test_an_earlier_saturday_is_the_comparison_and_an_empty_one_is_not(
    desk, manager, clock, golden
):
    reviews, _ = golden
    clock.now = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)  # two Saturdays before
    desk.create.walk_in(manager, 4, (desk.queries.venue().plan.table_by_number(4).id,))
    clock.now = datetime(2026, 11, 14, 21, 0, tzinfo=UTC)
    clock.now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)

    night = reviews.night(manager, SATURDAY)

    assert night.history_nights == 1
    assert night.kpi("covers").baseline_text == "avg 4 (1 Saturday)"
    assert night.kpi("covers_walk_in").baseline == 4
    assert night.kpi("bookings").baseline == 0
    # A night with no booking has no no-show rate; the average skips it.
    assert night.kpi("no_show_rate").baseline_text == "not enough history"


def test_reception_is_refused_the_review_the_history_and_the_audit_check(golden, reception):
    reviews, ids = golden

    for attempt in (
        lambda: reviews.night(reception, SATURDAY),
        lambda: reviews.history(reception, ids["A"]),
        lambda: reviews.verify_audit(reception),
    ):
        with pytest.raises(PermissionDenied, match="Sam Reid is signed in as reception"):
            attempt()


def test_a_night_with_no_bookings_is_an_empty_friendly_review(desk, manager, clock):
    reviews = NightReviews(desk.store, clock)

    night = reviews.night(manager, date(2026, 11, 24))

    assert night.review.empty
    assert night.kpi("covers").text == "0"
    assert night.kpi("no_show_rate").text == "—"
    assert night.kpi("median_turn").text == "—"


def test_a_night_that_has_not_happened_yet_is_refused_with_tonights_date(desk, manager, clock):
    reviews = NightReviews(desk.store, clock)

    with pytest.raises(InvalidInput) as refused:
        reviews.night(manager, date(2026, 11, 26))

    assert "Thu 26 Nov 2026 has not happened yet" in str(refused.value)
    assert "tonight (Wed 25 Nov 2026)" in str(refused.value)


def test_a_bookings_history_lists_each_change_who_made_it_where_and_what_changed(golden, manager):
    reviews, ids = golden

    history = reviews.history(manager, ids["C"])

    steps = [(s.at.strftime("%d %H:%M"), s.staff, s.desk, s.action) for s in history.steps]
    assert steps == [
        ("25 15:00", "Alex Moore", "Reception", "create booking"),
        ("25 15:00", "Alex Moore", "Reception", "record deposit payment"),
        ("28 23:30", "Alex Moore", "Reception", "set status"),
        ("29 01:15", "Alex Moore", "Reception", "set status"),
        ("29 01:15", "Alex Moore", "Reception", "record spend"),
    ]
    assert [str(c) for c in history.steps[-1].changes] == ["spend: — → £120.00"]
    paid = [(c.field, c.before, c.after) for c in history.steps[1].changes]
    assert paid == [("status", "pending", "confirmed"), ("deposit state", "required", "paid")]
    made = {c.field: c.after for c in history.steps[0].changes}
    assert made["tables"] == "9"
    assert made["start"] == "Sat 28 Nov, 23:30"
    assert made["deposit"] == "£60.00"
    assert made["length"] == "2h30"
    assert (made["package"], made["package price"]) == ("booth-bottles", "£180.00")
    assert "combined" not in made  # the tables say it
    assert "priority score" not in made  # 0: not on the waitlist
    assert [str(c) for c in history.steps[0].changes][:3] == [
        "start: Sat 28 Nov, 23:30",
        "party size: 6",
        "tables: 9",
    ]
    assert {c.before for c in history.steps[0].changes} == {None}  # a creation has no before
    assert {s.server for s in history.steps} == {"kept on this desk (not connected to a server)"}


def test_verifying_the_audit_log_says_it_is_intact_and_then_names_a_tampered_event(
    golden, manager, db_path
):
    import sqlite3

    reviews, _ = golden
    assert reviews.verify_audit(manager).words.startswith("The audit log is intact: ")

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE audit_event SET staff_name = 'Someone Else' WHERE seq = 3")

    verdict = reviews.verify_audit(manager)
    assert not verdict.intact
    assert "audit chain BROKEN at" in verdict.words
    assert "#3" in verdict.words


def test_a_party_that_paid_its_link_and_at_the_bar_is_money_to_give_back(golden, desk, manager):
    reviews, ids = golden
    # Cat paid £60 cash on Wednesday and, on Saturday, the link she had been sent.
    pulled(desk, manager, ids["C"], LedgerKind.STRIPE_PAYMENT, 6000, sat(12))

    night = reviews.night(manager, SATURDAY)

    shown = {k.key: k.text for k in night.kpis}
    assert (shown["deposits_taken"], shown["deposits_to_give_back"]) == ("£240.00", "£60.00")
    said = "£60.00 more than it may keep: refund it (Refund deposit…)"
    assert ("to give back", "Cat Cole", 6, said) in [
        (i.kind, i.guest, i.party, i.detail) for i in night.review.incidents
    ]
