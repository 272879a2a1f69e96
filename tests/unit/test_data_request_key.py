"""Which guest a data-protection request is about: one key, read as the desk stores it."""

from __future__ import annotations

import pytest

from app.domain.data_requests import FoundBy, GuestKey, guest_key
from app.domain.errors import InvalidInput


def test_a_phone_typed_any_way_staff_type_one_is_read_as_stored():
    assert guest_key(phone="07911 123456") == GuestKey(FoundBy.PHONE, "+447911123456")
    assert guest_key(phone="+44 (0)7911-123456").value == "+447911123456"


def test_an_email_keeps_its_name_and_lowers_its_domain():
    assert guest_key(email=" Ada@Example.ORG ") == GuestKey(FoundBy.EMAIL, "Ada@example.org")


def test_a_reference_read_out_with_spaces_and_lower_case_is_found():
    key = guest_key(reference="qks5 h5wn kyd")

    assert key.by is FoundBy.REFERENCE
    assert str(key) == "reference QKS5-H5WN-KYD"


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({}, "(this request gave none)"),
        ({"phone": "  ", "email": ""}, "(this request gave none)"),
        ({"phone": "07911 123456", "email": "a@b.org"}, "(this request gave 2)"),
        ({"phone": "call me"}, "'call me' is not a phone number."),
        ({"email": "ada at home"}, "'ada at home' is not an email address"),
        ({"reference": "QKS5-H5WN-KYE"}, "does not check out"),
    ],
)
def test_a_request_giving_no_key_several_or_a_bad_one_is_refused_in_words(given, words):
    with pytest.raises(InvalidInput, match=None) as refused:
        guest_key(**given)

    assert words in str(refused.value)
