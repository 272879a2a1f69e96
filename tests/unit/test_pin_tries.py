"""Wrong PINs at a desk: five in a row for one name, and that name waits a minute."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.pin_tries import PinTries, TooManyWrongPins

NOW = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)


def test_a_right_pin_before_the_fifth_wrong_one_starts_the_count_again():
    tries = PinTries()
    for _ in range(4):
        tries.failed("alex", NOW)
    tries.succeeded("alex")
    for _ in range(4):
        tries.failed("alex", NOW)

    tries.check("alex", NOW)  # eight wrong, never five in a row: no wait


def test_a_name_no_one_has_is_held_up_like_any_other_so_tries_do_not_tell_who_exists():
    tries = PinTries()
    for _ in range(5):
        tries.failed("nobody", NOW)

    with pytest.raises(TooManyWrongPins, match="try again in 60 seconds"):
        tries.check("nobody", NOW)
    tries.check("nobody", NOW + timedelta(minutes=1))
