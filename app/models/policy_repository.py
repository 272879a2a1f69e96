"""The venue's deposit policy versions on this desk, as the server sent them.

The server is where a policy is set; a desk prices with the newest version it has
pulled, which is written into the venue's config (where ``VenueRepository.get``
reads the policy), so there is one place a desk reads its policy from.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deposit_policy_data import deposit_policy_from_dict
from app.domain.deposits import DepositPolicy
from app.models.policy_tables import DepositPolicyRow
from app.models.tables import VenueRow
from app.protocol.rows import DepositPolicyRow as PulledPolicy


def write_pulled_policies(session: Session, rows: Iterable[PulledPolicy]) -> None:
    for row in rows:
        target = session.get(DepositPolicyRow, str(row.id))
        if target is None:
            target = DepositPolicyRow(id=str(row.id))
            session.add(target)
        elif target.version > row.version:
            continue
        target.policy_version, target.terms = row.policy_version, dict(row.terms)
        target.set_by, target.set_at, target.version = row.set_by, row.set_at, row.version
        _adopt(session, row)


def _adopt(session: Session, row: PulledPolicy) -> None:
    """The venue prices with this version unless it already has a newer one."""
    venue = session.scalars(select(VenueRow)).one()
    current = venue.config.get("deposit_policy") or {}
    if int(current.get("version", 1)) > row.policy_version:
        return
    terms = {**row.terms, "version": row.policy_version}
    venue.config = {**venue.config, "deposit_policy": terms}


def pulled_policies(session: Session) -> dict[int, DepositPolicy]:
    """Every policy version this desk has pulled, by version (a booking is judged by the
    version it was priced under: ``app.domain.deposits.PolicyVersions``)."""
    rows = session.execute(select(DepositPolicyRow.policy_version, DepositPolicyRow.terms))
    return {
        version: deposit_policy_from_dict({**terms, "version": version}) for version, terms in rows
    }
