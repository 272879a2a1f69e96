"""The next version of a venue's deposits and packages, as a desk sets it and the server
judges it: one above the version in force, strictly read, not the same terms again."""

from __future__ import annotations

import pytest

from app.domain.deposit_policy_data import deposit_policy_from_dict
from app.domain.deposits import Tier
from app.domain.errors import DomainError, InvalidInput
from app.domain.policy_change import next_policy

IN_FORCE = deposit_policy_from_dict({"version": 3, "tiers": [{"min_party": 8, "pence": 1000}]})
DEARER = {"tiers": [{"min_party": 8, "pence": 1500}]}


def test_the_next_version_follows_the_one_in_force_with_its_terms():
    after = next_policy(IN_FORCE, DEARER, 4)

    assert (after.version, after.tiers) == (4, (Tier(8, 1500),))


@pytest.mark.parametrize("version", [3, 5, 2])
def test_a_version_set_on_one_no_longer_in_force_is_refused(version):
    with pytest.raises(DomainError, match="another desk changed them first"):
        next_policy(IN_FORCE, DEARER, version)


def test_the_terms_in_force_again_are_refused_whatever_their_note():
    same = {"tiers": [{"min_party": 8, "pence": 1000}], "note": "again"}

    with pytest.raises(DomainError, match="in force already"):
        next_policy(IN_FORCE, same, 4)


def test_terms_read_as_strictly_as_a_policy_file():
    with pytest.raises(InvalidInput, match="Unknown in a deposit policy: deposit"):
        next_policy(IN_FORCE, DEARER | {"deposit": 1}, 4)
