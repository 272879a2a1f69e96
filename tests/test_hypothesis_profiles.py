"""Every property test runs the profile chosen once in tests/conftest.py."""

import os

from hypothesis import settings


def test_ci_checks_at_least_as_many_examples_as_a_developer_run():
    ci, dev = settings.get_profile("ci"), settings.get_profile("dev")

    assert ci.max_examples >= dev.max_examples


def test_the_ci_profile_is_in_force_exactly_when_ci_is_true(request):
    chosen_by_hand = request.config.getoption("--hypothesis-profile")
    expected = chosen_by_hand or ("ci" if os.environ.get("CI") == "true" else "dev")

    assert settings.get_current_profile_name() == expected
    assert settings().max_examples == settings.get_profile(expected).max_examples


def test_ci_runs_are_reproducible_and_not_held_to_a_deadline():
    ci = settings.get_profile("ci")

    assert ci.derandomize and ci.database is None and ci.deadline is None
