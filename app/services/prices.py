"""A manager sets the venue's deposits and packages: a new version of its deposit policy.

One unit of work: the ``set_deposit_policy`` intent and its audit event commit together.
The desk prices by the new version at once (app.models.policy_repository), with the
internet down too; a connected desk sends it, and the server judges it again with the
same meaning (app.protocol.meaning.policy_after) and passes it to every desk. A version
another desk set first wins, and this one is refused with the reason (docs/payments.md,
"Setting it on a desk").
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.deposits import DepositPolicy
from app.domain.permissions import Staff
from app.domain.policy_change import policy_terms
from app.domain.venue import Venue
from app.models.journal import Change
from app.models.policy_repository import PolicyOrigin
from app.models.uow import Store
from app.protocol import IntentName, SetDepositPolicyArgs, meaning
from app.services.common import Clock, wire

AUDITED = "deposit_policy"


@dataclass(frozen=True, slots=True)
class PricesSet:
    policy: DepositPolicy
    # What happened, in the words shown to the manager.
    message: str


class Prices:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def in_force(self) -> DepositPolicy:
        """The deposits and packages this desk prices new bookings by now."""
        with self.store.read() as reader:
            return reader.venue.get().deposits

    def whose(self) -> str:
        """Where the version in force came from, in staff words."""
        with self.store.read() as reader:
            rules = reader.venue.get()
            version = rules.deposits.version
            origin = reader.venue.policy_origin(version)
        return f"Version {version} is in force: {_origin_words(rules.venue, origin)}."

    def history(self) -> list[str]:
        """Each version this desk knows, oldest first, with who set it and when."""
        with self.store.read() as reader:
            venue = reader.venue.get().venue
            versions = reader.venue.policy_history()
        return [f"version {v}: {_origin_words(venue, o)}" for v, o in versions]

    def set(self, staff: Staff, terms: Mapping[str, Any]) -> PricesSet:
        """``terms`` (a policy file's keys; its ``version`` is not used) as the next version."""
        terms = {k: v for k, v in terms.items() if k != "version"}
        with self.store.unit_of_work() as uow:
            current = uow.venue.get().deposits
            args = wire(SetDepositPolicyArgs, policy_version=current.version + 1, terms=terms)
            for action in meaning.required_actions(args, None):
                staff.require(action)
            after = meaning.policy_after(args, current)
            # The wire carries the terms as the policy reads them back, so the desk and the
            # server store the same words for the same version.
            args = wire(
                SetDepositPolicyArgs, policy_version=after.version, terms=policy_terms(after)
            )
            version_id = str(uuid.uuid4())
            uow.journal.record(
                staff=staff,
                at=self.clock(),
                intent=IntentName.SET_DEPOSIT_POLICY,
                entity_id=version_id,
                base_version=0,
                args=args,
                previous={},
                changes=[Change(AUDITED, version_id, policy_terms(current), policy_terms(after))],
            )
            uow.commit()
        return PricesSet(
            after,
            f"Deposits and packages saved as version {after.version}; new bookings are priced "
            "by them now, and bookings already made keep their prices.",
        )


def _origin_words(venue: Venue, origin: PolicyOrigin) -> str:
    if origin.pending:
        return "set on this desk, not yet sent to the server"
    if origin.set_by is None or origin.set_at is None:
        return "the venue's plan file"
    return f"set by {origin.set_by} ({venue.show_day_time(origin.set_at)})"
