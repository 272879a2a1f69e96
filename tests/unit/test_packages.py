"""Packages sold with a table: priced from the venue's list when chosen and when the party
changes, kept at the price sold whatever the list says later, refused in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus
from app.domain.deposit_policy_data import (
    deposit_policy_from_dict,
    deposit_policy_to_dict,
    policy_words,
)
from app.domain.errors import DomainError, InvalidInput
from app.domain.packages import Package, offered

S = BookingStatus
AT = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
PROSECCO = Package(
    "prosecco", "Prosecco package", 3000, min_party=4, max_party=10, includes="a bottle each two"
)
BOOTH = Package("booth-bottle", "Booth and a bottle", 18000, per_head=False)


@pytest.fixture
def selling(rules):
    return replace(rules, deposits=replace(rules.deposits, packages=(PROSECCO, BOOTH), tiers=()))


def proposed(plan, party=6, package_id=None, status=S.CONFIRMED):
    return Booking(
        id="b1", venue_id="v", reference="ABCDEFGHJKM", customer_id="c", party_size=party,
        start=datetime(2026, 11, 28, 20, 0, tzinfo=UTC), duration_minutes=120, status=status,
        created_at=AT, updated_at=AT,
        table_ids=() if status is S.WAITLISTED else (plan.table_by_number(12).id,),
        package_id=package_id,
    )  # fmt: skip


def test_a_package_a_head_is_sold_for_the_party_and_one_a_party_for_the_table(selling, plan):
    six = kernel.create(selling, proposed(plan, 6, "prosecco"), vip=False, at=AT)
    booth = kernel.create(selling, proposed(plan, 6, "booth-bottle"), vip=False, at=AT)
    plain = kernel.create(selling, proposed(plan, 6), vip=False, at=AT)

    assert (six.package_id, six.package_pence) == ("prosecco", 18_000)
    assert (booth.package_id, booth.package_pence) == ("booth-bottle", 18_000)
    assert (plain.package_id, plain.package_pence) == (None, 0)


def test_a_package_the_venue_does_not_sell_or_not_for_this_party_is_refused_in_words(selling, plan):
    with pytest.raises(InvalidInput, match="does not sell a package called 'brunch'"):
        kernel.create(selling, proposed(plan, 6, "brunch"), vip=False, at=AT)
    with pytest.raises(
        InvalidInput, match="Prosecco package is for parties of 4–10; this party is 2"
    ):
        kernel.create(selling, proposed(plan, 2, "prosecco"), vip=False, at=AT)


def test_a_bigger_party_pays_for_its_package_a_head_and_the_list_s_later_price_is_not_used(
    selling, plan
):
    # On the waitlist: no table's seats stand in the way of the party's size.
    sold = kernel.create(selling, proposed(plan, 4, "prosecco", S.WAITLISTED), vip=False, at=AT)
    dearer = replace(PROSECCO, pence=3500)
    later = replace(selling, deposits=replace(selling.deposits, packages=(dearer,)))
    retired = replace(selling, deposits=replace(selling.deposits, packages=()))

    same = kernel.edit_details(later, sold, vip=False, at=AT, notes="by the window")
    grown = kernel.edit_details(later, sold, vip=False, at=AT, party_size=6)
    kept = kernel.edit_details(retired, sold, vip=False, at=AT, party_size=6)

    assert (sold.package_pence, same.package_pence, grown.package_pence) == (12_000, 12_000, 21_000)
    assert (kept.package_id, kept.package_pence) == ("prosecco", 12_000)


def test_a_package_is_changed_or_taken_off_by_an_edit_but_not_once_the_party_has_gone(
    selling, plan
):
    sold = kernel.create(selling, proposed(plan, 6, "prosecco"), vip=False, at=AT)

    swapped = kernel.edit_details(selling, sold, vip=False, at=AT, package_id="booth-bottle")
    off = kernel.edit_details(selling, sold, vip=False, at=AT, package_id="")
    with pytest.raises(DomainError, match="is completed; its package cannot change"):
        kernel.edit_details(
            selling, replace(sold, status=S.COMPLETED), vip=False, at=AT, package_id=""
        )

    assert (swapped.package_id, swapped.package_pence) == ("booth-bottle", 18_000)
    assert (off.package_id, off.package_pence) == (None, 0)


def test_a_party_grown_past_its_package_is_refused_unless_the_package_goes_with_it(selling, plan):
    sold = kernel.create(selling, proposed(plan, 10, "prosecco", S.WAITLISTED), vip=False, at=AT)

    with pytest.raises(InvalidInput, match="for parties of 4–10; this party is 11"):
        kernel.edit_details(selling, sold, vip=False, at=AT, party_size=11)
    grown = kernel.edit_details(selling, sold, vip=False, at=AT, party_size=11, package_id="")

    assert (grown.party_size, grown.package_id, grown.package_pence) == (11, None, 0)


def test_the_form_offers_only_the_packages_a_party_of_its_size_can_have():
    class Listed:
        packages = (PROSECCO, BOOTH)

    assert [p.id for p in offered(Listed(), 2)] == ["booth-bottle"]
    assert [p.id for p in offered(Listed(), 4)] == ["prosecco", "booth-bottle"]


def test_a_policy_file_s_packages_are_read_back_unchanged_and_said_in_words():
    data = {
        "packages": [
            {"id": "prosecco", "name": "Prosecco package", "pence": 3000, "min_party": 4,
             "max_party": 10, "includes": "a bottle each two"},
            {"id": "booth-bottle", "name": "Booth and a bottle", "pence": 18000,
             "per_head": False},
        ]
    }  # fmt: skip
    policy = deposit_policy_from_dict(data, strict=True)

    assert policy.packages == (PROSECCO, BOOTH)
    assert deposit_policy_from_dict(deposit_policy_to_dict(policy)) == policy
    assert policy_words(policy)[-2:] == [
        "Package Prosecco package: £30.00 a head, parties of 4–10 (a bottle each two) "
        "[id prosecco]",
        "Package Booth and a bottle: £180.00 a party, any party [id booth-bottle]",
    ]


@pytest.mark.parametrize(
    ("packages", "said"),
    [
        ([{"id": "Prosecco!", "name": "P", "pence": 1}], "lower-case letters"),
        ([{"id": "prosecco\n", "name": "P", "pence": 1}], "lower-case letters"),
        ([{"id": "p", "name": "P", "pence": -1}], "£0–£100,000"),
        ([{"id": "p", "name": "P", "pence": 1, "min_party": 6, "max_party": 4}], "smallest first"),
        ([{"id": "p", "name": "P", "pence": 1, "colour": "red"}], "Unknown in a package: colour"),
        ([{"id": "p", "name": "P"}], "Each package is"),
        ([{"id": "p", "name": "P", "pence": "30"}], "whole numbers"),
        ([{"id": "p", "name": "A", "pence": 1}, {"id": "p", "name": "B", "pence": 2}], "twice: p"),
    ],
)
def test_a_price_list_a_venue_could_not_sell_from_is_refused_saying_what_to_put_right(
    packages, said
):
    with pytest.raises(InvalidInput, match=said):
        deposit_policy_from_dict({"packages": packages}, strict=True)


def test_a_package_added_on_a_desk_takes_an_id_from_its_name_never_one_taken():
    from app.domain.packages import new_package_id

    assert new_package_id("Champagne Tower!", []) == "champagne-tower"
    assert new_package_id("Champagne tower", ["champagne-tower"]) == "champagne-tower-2"
    assert new_package_id("Champagne tower", ["champagne-tower", "champagne-tower-2"]) == (
        "champagne-tower-3"
    )
    assert new_package_id("£££", []) == "package"
    assert len(new_package_id("a very long name " * 10, [])) <= 40
