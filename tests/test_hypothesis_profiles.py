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


def test_ci_draws_new_examples_each_run_and_prints_how_to_reproduce_a_failure():
    ci = settings.get_profile("ci")

    assert not ci.derandomize and ci.print_blob and ci.deadline is None
