"""The venue's deposit policy versions on this desk, as the server sent them, and the
one this desk prices by.

The server is where a policy version is judged and numbered; a desk prices with the
newest version it has pulled, which is written into the venue's config, with its own
``set_deposit_policy`` intents the server has not answered applied over it by their one
meaning (``policy_in_force``, which ``VenueRepository.get`` calls: one place a desk
reads its policy from). A change the server refuses leaves the outbox, and the desk
prices by the pulled version again; one it applies comes back as a pulled version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.deposit_policy_data import deposit_policy_from_dict
from app.domain.deposits import DepositPolicy
from app.domain.errors import DomainError
from app.models.policy_tables import DepositPolicyRow
from app.models.tables import OutboxRow, VenueRow
from app.protocol import IntentName, SetDepositPolicy, meaning
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


# This desk's own new prices, waiting in its outbox.
_MINE = OutboxRow.name == IntentName.SET_DEPOSIT_POLICY.value


def pulled_policy(venue: VenueRow) -> DepositPolicy:
    """The newest version this desk has pulled (its plan file's, until it has pulled one)."""
    return deposit_policy_from_dict(venue.config["deposit_policy"])


def pending_versions(session: Session, pulled: DepositPolicy) -> list[tuple[int, DepositPolicy]]:
    """This desk's unanswered ``set_deposit_policy`` intents applied over ``pulled`` as the
    server will judge them, each as (its device_seq, the policy it leaves): one set on a
    version since overtaken by another desk's is refused there, so it changes nothing here."""
    rows = session.execute(
        select(OutboxRow.device_seq, OutboxRow.body).where(_MINE).order_by(OutboxRow.device_seq)
    )
    steps: list[tuple[int, DepositPolicy]] = []
    policy = pulled
    for seq, body in rows:
        m = meaning.parse(body)
        assert isinstance(m, SetDepositPolicy)
        try:
            policy = meaning.policy_after(m.args, policy)
        except DomainError:
            continue
        steps.append((seq, policy))
    return steps


def prices_waiting(session: Session) -> int:
    """How many of this desk's new prices wait for the server's answer (without reading
    them: outbox.name is indexed)."""
    return session.scalar(select(func.count()).select_from(OutboxRow).where(_MINE)) or 0


def policy_in_force(session: Session, pulled: DepositPolicy) -> DepositPolicy:
    """The policy this desk prices new bookings by: ``pulled`` with every pending change."""
    steps = pending_versions(session, pulled)
    return steps[-1][1] if steps else pulled


def policy_before(
    steps: list[tuple[int, DepositPolicy]], pulled: DepositPolicy, seq: int
) -> DepositPolicy:
    """The policy the server will judge this desk's intent ``seq`` by: the pending changes
    queued before it are judged before it, the ones after it are not."""
    found = pulled
    for step_seq, policy in steps:
        if step_seq >= seq:
            break
        found = policy
    return found


@dataclass(frozen=True, slots=True)
class PolicyOrigin:
    """Where a version came from: this desk's own unanswered change, or who set it and
    when (neither: the venue's plan file, before any version was pulled)."""

    pending: bool
    set_by: str | None = None
    set_at: datetime | None = None


def policy_history(session: Session) -> list[tuple[int, PolicyOrigin]]:
    """Every version this desk knows, oldest first: those it pulled, then its own unsent."""
    venue = session.scalars(select(VenueRow)).one()
    rows = session.execute(
        select(
            DepositPolicyRow.policy_version, DepositPolicyRow.set_by, DepositPolicyRow.set_at
        ).order_by(DepositPolicyRow.policy_version)
    )
    pulled = [(v, PolicyOrigin(False, by, at)) for v, by, at in rows]
    if not pulled:  # a desk that never synced: its plan file's version
        pulled = [(pulled_policy(venue).version, PolicyOrigin(False))]
    mine = [
        (p.version, PolicyOrigin(True)) for _, p in pending_versions(session, pulled_policy(venue))
    ]
    return pulled + mine


def policy_origin(session: Session, policy_version: int) -> PolicyOrigin:
    venue = session.scalars(select(VenueRow)).one()
    pending = pending_versions(session, pulled_policy(venue))
    if any(p.version == policy_version for _, p in pending):
        return PolicyOrigin(pending=True)
    row = session.scalars(
        select(DepositPolicyRow).where(DepositPolicyRow.policy_version == policy_version)
    ).first()
    return PolicyOrigin(False, *((row.set_by, row.set_at) if row is not None else ()))


def pulled_policies(session: Session) -> dict[int, DepositPolicy]:
    """Every policy version this desk has pulled, by version (a booking is judged by the
    version it was priced under: ``app.domain.deposits.PolicyVersions``)."""
    rows = session.execute(select(DepositPolicyRow.policy_version, DepositPolicyRow.terms))
    return {
        version: deposit_policy_from_dict({**terms, "version": version}) for version, terms in rows
    }
