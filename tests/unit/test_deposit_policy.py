"""A venue's deposit policy as data: tiers, nights, exemptions, versions, the mode, the
free-cancellation window. Expected amounts are written out by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus, DepositState, Source
from app.domain.deposit_policy_data import (
    deposit_policy_from_dict,
    deposit_policy_to_dict,
    policy_words,
)
from app.domain.deposits import (
    Basis,
    Collection,
    DepositMode,
    DepositPolicy,
    Quote,
    Tier,
    cancelled_in_free_window,
    free_cancellation_until,
    mode_for,
    price,
)
from app.domain.errors import InvalidInput
from app.domain.rules import VenueRules
from app.domain.venue_setup import NO_DEPOSITS

WEDNESDAY, FRIDAY, SATURDAY, SUNDAY = (date(2026, 11, d) for d in (25, 27, 28, 29))
LONDON = ZoneInfo("Europe/London")
# 6–7 pay £10 a head, 8+ £15 a head on Friday and Saturday nights; 8+ £10 a head otherwise.
BAR = DepositPolicy(
    tiers=(Tier(8, 1000),),
    busy_weekdays=frozenset({4, 5}),
    busy_tiers=(Tier(6, 1000), Tier(8, 1500)),
    version=4,
)


def pence(policy, party, day, vip=False, source=Source.PHONE):
    return price(policy, party_size=party, service_day=day, vip=vip, source=source).pence


@pytest.mark.parametrize(
    ("party", "expected"), [(1, 0), (5, 0), (6, 6000), (7, 7000), (8, 12000), (12, 18000)]
)
def test_on_a_saturday_each_party_size_pays_its_tier_per_head(party, expected):
    assert pence(BAR, party, SATURDAY) == expected


@pytest.mark.parametrize(("party", "expected"), [(6, 0), (7, 0), (8, 8000), (10, 10000)])
def test_on_a_wednesday_only_the_other_nights_tiers_apply(party, expected):
    assert pence(BAR, party, WEDNESDAY) == expected


def test_a_per_booking_deposit_is_the_tiers_amount_whatever_the_party_size():
    policy = DepositPolicy(
        tiers=(Tier(6, 2500), Tier(10, 5000)), busy_tiers=(), basis=Basis.PER_BOOKING
    )

    assert [pence(policy, n, WEDNESDAY) for n in (5, 6, 9, 10, 20)] == [0, 2500, 2500, 5000, 5000]
    assert pence(policy, 12, SATURDAY) == 0


def test_nights_with_no_tiers_ask_no_deposit():
    weekends_only = DepositPolicy(tiers=(), busy_tiers=(Tier(2, 500),))

    assert pence(weekends_only, 20, WEDNESDAY) == 0
    assert pence(weekends_only, 2, FRIDAY) == 1000


def test_the_quote_names_the_policy_version_that_priced_it():
    assert price(BAR, party_size=8, service_day=SATURDAY, vip=False, source=Source.WEB) == Quote(
        12000, 4
    )
    assert price(BAR, party_size=2, service_day=SATURDAY, vip=False, source=Source.WEB) == Quote(
        0, 4
    )


def test_vips_and_walk_ins_are_exempt_only_while_the_policy_says_so():
    paying = DepositPolicy(
        busy_tiers=(Tier(6, 1000),), vip_exempt=False, walk_in_exempt=False, tiers=()
    )

    assert pence(BAR, 10, SATURDAY, vip=True) == 0
    assert pence(BAR, 10, SATURDAY, source=Source.WALK_IN) == 0
    assert pence(paying, 10, SATURDAY, vip=True) == 10000
    assert pence(paying, 10, SATURDAY, source=Source.WALK_IN) == 10000


def _booking(start: datetime, party: int) -> Booking:
    return Booking(
        id="b",
        venue_id="v",
        reference="ABCDEFGHJK0",
        customer_id="c",
        party_size=party,
        start=start,
        duration_minutes=120,
        status=BookingStatus.PENDING,
        created_at=start,
        updated_at=start,
    )


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        # 00:30 on Sunday is still Saturday night: the busy tiers.
        (datetime(2026, 11, 29, 0, 30), 6000),
        (datetime(2026, 11, 29, 5, 59), 6000),
        # From the 06:00 day boundary it is Sunday: the other nights' tiers.
        (datetime(2026, 11, 29, 6, 0), 0),
        (datetime(2026, 11, 29, 21, 0), 0),
        # 01:00 on Saturday belongs to Friday night, busy too; 01:00 Friday to Thursday.
        (datetime(2026, 11, 28, 1, 0), 6000),
        (datetime(2026, 11, 27, 1, 0), 0),
    ],
)
def test_a_booking_after_midnight_is_priced_by_its_service_days_night(venue, plan, local, expected):
    rules = VenueRules(venue, plan, BAR)
    start = local.replace(tzinfo=LONDON).astimezone(UTC)

    after = kernel.priced(rules, _booking(start, 6), vip=False)

    assert after.deposit_pence == expected
    assert after.deposit_state is (DepositState.REQUIRED if expected else DepositState.NOT_REQUIRED)
    assert after.deposit_policy_version == 4


# --- stored policies from before versions ----------------------------------------------

# The rule every venue had, worked by hand for The Backroom's stored policy (£10 a head,
# 8+, 6+ on Friday and Saturday nights; VIPs and walk-ins pay nothing).
BEFORE = [
    (WEDNESDAY, 7, 0),
    (WEDNESDAY, 8, 8000),
    (WEDNESDAY, 11, 11000),
    (FRIDAY, 5, 0),
    (FRIDAY, 6, 6000),
    (SATURDAY, 9, 9000),
    (SUNDAY, 6, 0),
    (SUNDAY, 8, 8000),
]


@pytest.mark.parametrize(("day", "party", "expected"), BEFORE)
def test_a_venues_stored_policy_from_before_versions_asks_the_same_amounts(
    backroom_data, day, party, expected
):
    stored = backroom_data["venue"]["deposit_policy"]
    assert "tiers" not in stored and "version" not in stored

    policy = deposit_policy_from_dict(stored)

    assert pence(policy, party, day) == expected
    assert pence(policy, party, day, vip=True) == 0
    assert pence(policy, party, day, source=Source.WALK_IN) == 0
    assert (policy.version, policy.collection, policy.link_minutes) == (
        1,
        Collection.DEPOSIT_NOW,
        24 * 60,
    )


def test_an_old_policy_without_a_busy_minimum_uses_its_minimum_every_night():
    policy = deposit_policy_from_dict(
        {"per_head_pence": 500, "min_party": 4, "busy_weekdays": [5], "vip_exempt": False}
    )

    assert [pence(policy, 4, d, vip=True) for d in (WEDNESDAY, SATURDAY)] == [2000, 2000]
    assert pence(policy, 3, SATURDAY) == 0


def test_a_venue_that_took_no_deposits_still_takes_none():
    policy = deposit_policy_from_dict(NO_DEPOSITS)

    assert all(pence(policy, n, d) == 0 for n in (1, 8, 40) for d in (WEDNESDAY, SATURDAY))


def test_a_policy_written_out_reads_back_the_same_with_its_version_and_note():
    policy = DepositPolicy(
        tiers=(Tier(2, 300), Tier(9, 700)),
        busy_weekdays=frozenset({3, 4, 5}),
        busy_tiers=(Tier(6, 1000),),
        basis=Basis.PER_BOOKING,
        vip_exempt=False,
        free_cancellation_hours=72,
        collection=Collection.GUARANTEE,
        link_minutes=45,
        version=9,
        note="winter",
    )

    again = deposit_policy_from_dict(json.loads(json.dumps(deposit_policy_to_dict(policy))))

    assert again == policy and again.note == "winter"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"tiers": [{"min_party": 8, "pence": 1000}, {"min_party": 8, "pence": 1500}]},
            "tiers",
            "do not overlap",
        ),
        (
            {"tiers": [{"min_party": 8, "pence": 1500}, {"min_party": 6, "pence": 1000}]},
            "tiers",
            "go up by party size",
        ),
        ({"busy_tiers": [{"min_party": 6, "pence": 0}]}, "busy_tiers", "from 1"),
        ({"busy_tiers": [{"min_party": 6, "pence": -500}]}, "busy_tiers", "whole number of pence"),
        ({"tiers": [{"min_party": 6, "pence": 10.5}]}, "tiers", "whole number of pence"),
        ({"tiers": [{"min_party": 6, "pence": True}]}, "tiers", "whole number of pence"),
        ({"tiers": [{"min_party": 0, "pence": 100}]}, "tiers", "party size from 1"),
        ({"tiers": [{"min_party": 6}]}, "tiers", "Each tier is"),
        ({"tiers": {"min_party": 6, "pence": 100}}, "tiers", "is a list"),
        ({"busy_weekdays": [7]}, "busy_weekdays", "0 (Monday) to 6"),
        ({"basis": "per_table"}, "basis", "'per_head', 'per_booking'"),
        ({"collection": "hold"}, "collection", "'deposit_now', 'guarantee'"),
        ({"vip_exempt": "yes"}, "vip_exempt", "true or false"),
        ({"free_cancellation_hours": -1}, "free_cancellation_hours", "whole number of hours"),
        ({"free_cancellation_hours": 24.5}, "free_cancellation_hours", "whole number of hours"),
        ({"link_minutes": 10}, "link_minutes", "between 30 minutes and 24 hours"),
        ({"version": 0}, "version", "from 1"),
        ({"teirs": []}, "deposit_policy", "Unknown in a deposit policy: teirs"),
    ],
)
def test_a_policy_that_cannot_be_right_is_refused_saying_what_to_fix(change, field, words):
    data = {**deposit_policy_to_dict(BAR), **change}

    with pytest.raises(InvalidInput) as refused:
        deposit_policy_from_dict(data, strict=True)

    assert refused.value.field == field
    assert words in str(refused.value)


def test_a_policy_reads_in_words_for_a_manager():
    assert policy_words(BAR) == [
        "Deposit policy version 4",
        "Friday, Saturday nights: parties of 6–7 pay £10.00 a head; "
        "parties of 8+ pay £15.00 a head",
        "Other nights: parties of 8+ pay £10.00 a head",
        "No deposit from: VIP guests and walk-ins",
        "Taken: as a payment when the booking is made (deposit now)",
        "Free cancellation: up to 48 hours before the start",
        "A payment link stays open 24 hours",
    ]


def test_two_policies_with_the_same_terms_differ_only_in_version():
    assert BAR.same_terms(DepositPolicy(**{**_fields(BAR), "version": 5}))
    assert not BAR.same_terms(DepositPolicy(**{**_fields(BAR), "vip_exempt": False}))


def _fields(policy: DepositPolicy) -> dict:
    return {name: getattr(policy, name) for name in DepositPolicy.__dataclass_fields__}


# --- the free cancellation window -------------------------------------------------------


def test_a_cancellation_up_to_the_window_is_free_and_a_second_later_is_not():
    start = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)

    deadline = free_cancellation_until(BAR, start)

    assert deadline == datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    assert cancelled_in_free_window(BAR, start, deadline)
    assert not cancelled_in_free_window(BAR, start, deadline + timedelta(seconds=1))


def test_the_window_is_counted_in_elapsed_hours_across_the_clocks_going_back():
    # 25 October 2026: London's clocks go back an hour at 02:00 BST.
    start = datetime(2026, 10, 26, 12, 0, tzinfo=LONDON)
    policy = DepositPolicy(free_cancellation_hours=48)

    deadline = free_cancellation_until(policy, start)

    assert deadline.timestamp() == start.timestamp() - 48 * 3600


# --- deposit now or a card guarantee ----------------------------------------------------

GUARANTEE = DepositPolicy(collection=Collection.GUARANTEE)
SIX_DAYS = 6 * 24 * 3600


def test_deposit_now_is_always_a_payment_however_far_ahead():
    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)

    assert mode_for(BAR, now + timedelta(days=30), now) is DepositMode.PAYMENT
    assert mode_for(BAR, now + timedelta(hours=1), now) is DepositMode.PAYMENT


def test_a_guarantee_holds_the_card_up_to_six_days_ahead_and_saves_it_beyond():
    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)

    assert mode_for(GUARANTEE, now + timedelta(hours=2), now) is DepositMode.HOLD
    assert mode_for(GUARANTEE, now + timedelta(days=6), now) is DepositMode.HOLD
    assert mode_for(GUARANTEE, now + timedelta(days=6, seconds=1), now) is DepositMode.SAVE_CARD
    assert mode_for(GUARANTEE, now + timedelta(days=40), now) is DepositMode.SAVE_CARD


# Instants around Europe/London's clock changes of 2026 and 2027 (UNIX seconds).
CHANGES = [1774746000, 1792890000, 1806195600, 1824944400]


@given(
    change=st.sampled_from(CHANGES),
    offset=st.integers(-8 * 86400, 8 * 86400),
    lead=st.one_of(st.integers(SIX_DAYS - 7200, SIX_DAYS + 7200), st.integers(-86400, 30 * 86400)),
)
def test_hold_or_saved_card_is_chosen_by_elapsed_seconds_across_clock_changes(change, offset, lead):
    now_unix = change + offset
    start_unix = now_unix + lead
    now = datetime.fromtimestamp(now_unix, tz=LONDON)
    start = datetime.fromtimestamp(start_unix, tz=LONDON)

    expected = DepositMode.HOLD if start_unix - now_unix <= SIX_DAYS else DepositMode.SAVE_CARD

    assert mode_for(GUARANTEE, start, now) is expected
