"""A venue's deposit policy on the server, where it is set: each change a new version.

The venue's ``settings["deposit_policy"]`` is the version in force (the judges price
with it, ``server.venues.service.venue_rules``); every version is also a row of
``deposit_policies``, stamped with the venue's version so each desk pulls it and prices
with it too. A booking keeps the version that priced it, so a new version changes no
booking already priced (docs/payments.md, "Deposit policy").
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.deposit_policy_data import deposit_policy_from_dict, deposit_policy_to_dict
from app.domain.deposits import DepositPolicy
from app.domain.venue_setup import NO_DEPOSITS
from server.venues.models import DepositPolicyVersion, Venue
from server.versioning import bump_version


@dataclass(frozen=True, slots=True)
class PolicySet:
    policy: DepositPolicy
    # False: the terms were the ones in force already; no new version was made.
    changed: bool


def current_policy(session: Session, venue_id: uuid.UUID) -> DepositPolicy:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise LookupError(f"There is no venue {venue_id}.")
    return in_force(venue)


def in_force(venue: Venue) -> DepositPolicy:
    return deposit_policy_from_dict(venue.settings.get("deposit_policy") or NO_DEPOSITS)


def locked_venue(session: Session, venue_id: uuid.UUID) -> Venue:
    """The venue's row, locked until commit: one new policy version at a time. FOR NO KEY
    UPDATE, which the foreign keys of a concurrent push's rows (a KEY SHARE on the venue's
    row each) do not wait for: FOR UPDATE made them wait, then the push held the venue's
    version the policy's own outcome needed next, and PostgreSQL broke the deadlock."""
    venue = session.get(Venue, venue_id, with_for_update={"key_share": True})
    if venue is None:
        raise LookupError(f"There is no venue {venue_id}.")
    return venue


def set_policy(
    session: Session, venue_id: uuid.UUID, data: Mapping[str, Any], *, set_by: str, now: datetime
) -> PolicySet:
    """Store ``data`` (an admin's file, checked strictly) as the venue's next version.

    A ``version`` in the file is not used: the server numbers versions. Terms equal to
    the ones in force make no new version. Raises ``InvalidInput`` for a policy that
    cannot be right, with nothing changed.
    """
    wanted = deposit_policy_from_dict(data, strict=True)
    venue = locked_venue(session, venue_id)
    current = in_force(venue)
    if wanted.same_terms(current) and wanted.note in ("", current.note):
        return PolicySet(current, changed=False)
    policy = replace(wanted, version=_next_version(session, venue_id, current))
    _store(session, venue, deposit_policy_to_dict(policy), set_by, now)
    return PolicySet(policy, changed=True)


def adopt_plan_policy(
    session: Session, venue_id: uuid.UUID, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The policy a venue keeps when a plan file is loaded: the file's, as version 1, for
    a new venue (its own shape kept: an old file's keys stay as they were); the version
    in force for a venue the server has (``create-venue --update``), since a policy is
    changed only by ``set_policy``, so an old plan file never puts old prices back.
    """
    venue = session.get(Venue, venue_id, with_for_update={"key_share": True})
    stored = None if venue is None else venue.settings.get("deposit_policy")
    if stored is not None:
        return {**stored, "version": deposit_policy_from_dict(stored).version}
    terms = dict(given or NO_DEPOSITS)
    return {**terms, "version": deposit_policy_from_dict(terms).version}


def record_version(
    session: Session,
    venue_id: uuid.UUID,
    terms: Mapping[str, Any],
    set_by: str,
    *,
    stamp: int | None = None,
    now: datetime | None = None,
    row_id: uuid.UUID | None = None,
) -> DepositPolicyVersion | None:
    """The row every desk pulls for the version ``terms`` names, unless it exists (None).

    ``stamp``: the venue version this transaction took already, else one is taken.
    ``row_id``: the id a desk gave the version (else a new one).
    """
    version = int(terms.get("version", 1))
    exists = session.scalar(
        select(func.count()).where(
            DepositPolicyVersion.venue_id == venue_id,
            DepositPolicyVersion.policy_version == version,
        )
    )
    if exists:
        return None
    row = DepositPolicyVersion(
        id=row_id or uuid.uuid4(),
        venue_id=venue_id,
        policy_version=version,
        terms=dict(terms),
        set_by=set_by,
        version=stamp if stamp is not None else bump_version(session, venue_id),
    )
    if now is not None:
        row.set_at = row.updated_at = now
    session.add(row)
    session.flush()
    return row


def _next_version(session: Session, venue_id: uuid.UUID, current: DepositPolicy) -> int:
    highest = session.scalar(
        select(func.max(DepositPolicyVersion.policy_version)).where(
            DepositPolicyVersion.venue_id == venue_id
        )
    )
    return max(highest or 0, current.version) + 1


def _store(
    session: Session, venue: Venue, terms: dict[str, Any], set_by: str, now: datetime
) -> None:
    venue.settings = {**venue.settings, "deposit_policy": terms}
    session.flush()
    record_version(session, venue.id, terms, set_by, now=now)


def store_from_desk(
    session: Session,
    venue: Venue,
    policy: DepositPolicy,
    *,
    row_id: uuid.UUID,
    set_by: str,
    now: datetime,
) -> DepositPolicyVersion | None:
    """A version a manager set at a desk (``set_deposit_policy``), in force from this
    transaction; its row has the id the desk gave it and is stamped with the intent's
    version by the caller (server.sync.outcome). None: the venue has a row of that
    version already (its settings and its versions disagree; nothing is changed)."""
    terms = deposit_policy_to_dict(policy)
    row = record_version(session, venue.id, terms, set_by, stamp=0, now=now, row_id=row_id)
    if row is not None:
        venue.settings = {**venue.settings, "deposit_policy": terms}
        session.flush()
    return row


def history(session: Session, venue_id: uuid.UUID) -> list[DepositPolicyVersion]:
    return list(
        session.scalars(
            select(DepositPolicyVersion)
            .where(DepositPolicyVersion.venue_id == venue_id)
            .order_by(DepositPolicyVersion.policy_version)
        )
    )


def policy_versions(session: Session, venue_id: uuid.UUID) -> dict[int, DepositPolicy]:
    """Every version of the venue's deposit policy, by version: a booking is judged by the
    one it was priced under (app.domain.deposits.PolicyVersions)."""
    return {
        row.policy_version: deposit_policy_from_dict({**row.terms, "version": row.policy_version})
        for row in history(session, venue_id)
    }
