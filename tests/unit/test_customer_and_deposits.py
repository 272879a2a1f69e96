from datetime import date

import pytest

from app.domain.booking import Source
from app.domain.customer import normalise_email, normalise_phone
from app.domain.deposits import DepositPolicy, format_pence
from app.domain.errors import InvalidInput

WEDNESDAY, SATURDAY = date(2026, 11, 25), date(2026, 11, 28)


@pytest.mark.parametrize("typed", ["0113 496 0123", "+44 113 496 0123", "(0113) 4960123"])
def test_phone_numbers_are_stored_in_e164_however_they_are_typed(typed):
    assert normalise_phone(typed) == "+441134960123"


@pytest.mark.parametrize("typed", ["12", "not a number", "0113 496"])
def test_an_invalid_phone_number_is_refused_naming_the_field(typed):
    with pytest.raises(InvalidInput) as refused:
        normalise_phone(typed)

    assert refused.value.field == "phone"


def test_an_email_is_normalised_and_a_bad_one_refused():
    assert normalise_email(" Ava@Example.COM ") == "Ava@example.com"
    assert normalise_email("") is None
    with pytest.raises(InvalidInput):
        normalise_email("ava@")


def test_a_big_party_pays_a_deposit_per_head_in_pence():
    policy = DepositPolicy(per_head_pence=1000, min_party=8, busy_min_party=6)

    assert policy.amount(8, WEDNESDAY, vip=False, source=Source.PHONE) == 8000
    assert policy.amount(7, WEDNESDAY, vip=False, source=Source.PHONE) == 0


def test_on_a_saturday_smaller_parties_pay_too():
    policy = DepositPolicy(per_head_pence=1000, min_party=8, busy_min_party=6)

    assert policy.amount(6, SATURDAY, vip=False, source=Source.PHONE) == 6000


def test_vips_and_walk_ins_pay_no_deposit():
    policy = DepositPolicy()

    assert policy.amount(10, SATURDAY, vip=True, source=Source.PHONE) == 0
    assert policy.amount(10, SATURDAY, vip=False, source=Source.WALK_IN) == 0


def test_money_is_shown_in_pounds_from_integer_pence():
    assert format_pence(9050) == "£90.50"
    assert format_pence(123456) == "£1,234.56"
