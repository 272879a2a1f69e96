import pytest

from app.domain.customer import normalise_email, normalise_phone
from app.domain.deposits import format_pence
from app.domain.errors import InvalidInput


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


def test_money_is_shown_in_pounds_from_integer_pence():
    assert format_pence(9050) == "£90.50"
    assert format_pence(123456) == "£1,234.56"
