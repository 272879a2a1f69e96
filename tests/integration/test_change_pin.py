"""Staff change their own PIN on the desk; a wrong current PIN or a bad new one changes
nothing."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.services.auth import SignInFailed


def test_a_manager_changes_their_pin_and_signs_in_with_the_new_one_only(desk, manager):
    said = desk.staff_admin.change_pin(manager, "2222", "482913", "482913")

    assert said == "Alex Moore's PIN was changed."
    assert desk.auth.sign_in("alex", "482913").name == "Alex Moore"
    with pytest.raises(SignInFailed):
        desk.auth.sign_in("alex", "2222")


@pytest.mark.parametrize(
    ("current", "new", "again", "field", "words"),
    [
        ("9999", "482913", "482913", "current", "not your current PIN"),
        ("2222", "12", "12", "pin", "A PIN is 4 to 8 digits."),
        ("2222", "12ab", "12ab", "pin", "A PIN is 4 to 8 digits."),
        ("2222", "482913", "482914", "again", "The two new PINs differ"),
        ("2222", "2222", "2222", "pin", "different from the one you have now"),
    ],
)
def test_a_pin_change_that_cannot_be_made_is_refused_and_the_old_pin_still_works(
    desk, manager, current, new, again, field, words
):
    with pytest.raises(InvalidInput) as refused:
        desk.staff_admin.change_pin(manager, current, new, again)

    assert refused.value.field == field and words in str(refused.value)
    assert desk.auth.sign_in("alex", "2222").name == "Alex Moore"
