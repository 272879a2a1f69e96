"""A manager's new deposits and packages: the venue's next version of its price list.

One meaning for the desk that sets it and the server that judges it
(``app.protocol.meaning.policy_after``): the terms are read as strictly as an admin's
policy file, numbered one above the version in force that the manager changed, and
refused when another desk's version came first or when nothing would change. A
version once set is never edited: bookings keep the version that priced them
(docs/payments.md, "Deposit policy").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.deposit_policy_data import deposit_policy_from_dict, deposit_policy_to_dict
from app.domain.deposits import DepositPolicy
from app.domain.errors import DomainError


def next_policy(current: DepositPolicy, terms: Mapping[str, Any], version: int) -> DepositPolicy:
    """The policy ``terms`` describe as version ``version``, which must follow ``current``."""
    if version != current.version + 1:
        raise DomainError(
            f"The venue's deposits and packages are at version {current.version}, and these "
            f"were set on version {version - 1}: another desk changed them first. Open "
            "Deposits and packages again and make the change on what is in force."
        )
    wanted = deposit_policy_from_dict({**terms, "version": version}, strict=True)
    if wanted.same_terms(current):
        raise DomainError(
            f"These are the deposits and packages in force already (version "
            f"{current.version}); nothing was changed."
        )
    return wanted


def policy_terms(policy: DepositPolicy) -> dict[str, Any]:
    """A version's terms as stored and sent, without its number (the intent carries it)."""
    return {k: v for k, v in deposit_policy_to_dict(policy).items() if k != "version"}
