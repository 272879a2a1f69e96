"""Applying a desk's pushed intents: one transaction and one durable outcome each.

Rules (ARCHITECTURE.md, "Sync protocol"):
- intents arrive in device_seq order; the device row is locked for each one,
  so two pushes from one desk cannot interleave;
- a device_seq already seen replays its stored outcome, provided the intent
  is the same (same mutation id, same body hash); otherwise the batch stops
  with a refusal and nothing is written;
- a gap stops the batch and names the next seq expected;
- the audit events carried by an intent must continue the desk's hash chain;
- the outcome, the changed rows and the venue's new version commit together,
  and the HTTP answer is only built after that commit.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.audit import AuditEvent as ChainEvent
from app.domain.audit import verify_chain
from app.domain.errors import DomainError
from app.domain.permissions import Role, Staff
from app.sync import protocol as p
from server.auth.models import Device, StaffMember
from server.auth.principals import DevicePrincipal
from server.clock import Clock
from server.errors import error
from server.settings import Settings
from server.sync import bookings, other_intents, resolve
from server.sync.context import Conflicted, IntentContext, Rejected, Verdict
from server.sync.models import AuditEvent, Conflict, IntentOutcome
from server.sync.placement import ALLOWED
from server.venues.service import venue_and_plan
from server.versioning import bump_version, check_client, current_version

T = TypeVar("T")
Judge = Callable[[IntentContext, p.MutationBase], Verdict]
JUDGES: dict[p.IntentName, Judge] = {
    p.IntentName.CREATE_BOOKING: bookings.create_booking,  # type: ignore[dict-item]
    p.IntentName.MOVE_BOOKING: bookings.move_booking,  # type: ignore[dict-item]
    p.IntentName.EDIT_DETAILS: bookings.edit_details,  # type: ignore[dict-item]
    p.IntentName.SET_STATUS: bookings.set_status,  # type: ignore[dict-item]
    p.IntentName.CANCEL: bookings.cancel,  # type: ignore[dict-item]
    p.IntentName.REARRANGE: other_intents.rearrange,  # type: ignore[dict-item]
    p.IntentName.RESOLVE_CONFLICT: resolve.resolve_conflict,  # type: ignore[dict-item]
    p.IntentName.UPSERT_CUSTOMER: other_intents.upsert_customer,  # type: ignore[dict-item]
    p.IntentName.UPDATE_TABLE: other_intents.update_table,  # type: ignore[dict-item]
    p.IntentName.UPDATE_AREA: other_intents.update_area,  # type: ignore[dict-item]
    p.IntentName.UPDATE_COMBINATION: other_intents.update_combination,  # type: ignore[dict-item]
}


@dataclass(frozen=True)
class Gap:
    expected: int


def body_hash(mutation: p.MutationBase) -> str:
    body = json.dumps(mutation.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def push(
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: Clock,
    device: DevicePrincipal,
    request: p.PushRequest,
) -> p.PushResponse:
    if request.device_id != device.device_id:
        raise error(403, "This push names another desk than the one whose token was given.")
    last = 0
    for m in request.mutations:
        if m.device_id != device.device_id:
            raise error(400, f"Intent {m.mutation_id} names another desk ({m.device_id}).")
        if m.device_seq <= last:
            raise error(400, "Intents must be sent in increasing device_seq order.")
        last = m.device_seq
        check_client(settings, m.protocol_version, m.schema_version)
    outcomes: list[p.Outcome] = []
    expected: int | None = None
    refused: p.Refusal | None = None
    for m in request.mutations:
        result = _with_retries(lambda m=m: _one(sessions, clock, device, m))
        if isinstance(result, Gap):
            expected = result.expected
            break
        if isinstance(result, p.Refusal):
            refused = result
            break
        outcomes.append(result)
    if outcomes and outcomes[-1].version is not None and expected is None and refused is None:
        version = max(o.version or 0 for o in outcomes)
    else:
        with sessions() as session:
            version = current_version(session, device.venue_id)
    return p.PushResponse(
        outcomes=outcomes, expected_seq=expected, server_version=version, refused=refused
    )


def _with_retries(attempt: Callable[[], T]) -> T:
    for n in range(4):
        try:
            return attempt()
        except OperationalError as exc:
            if not isinstance(exc.orig, DeadlockDetected | SerializationFailure) or n == 3:
                raise
            time.sleep(0.01 * (n + 1))
    raise AssertionError("unreachable")


def _stored(row: IntentOutcome) -> p.Outcome:
    return p.Outcome(
        mutation_id=row.mutation_id,
        device_seq=row.device_seq,
        outcome=p.OutcomeKind(row.outcome),
        reason=row.reason,
        conflict_id=row.conflict_id,
        version=row.version,
    )


def _one(
    sessions: sessionmaker[Session], clock: Clock, principal: DevicePrincipal, m: p.MutationBase
) -> p.Outcome | Gap | p.Refusal:
    digest = body_hash(m)
    with sessions() as session, session.begin():
        device = session.get(Device, principal.device_id, with_for_update=True)
        if device is None or device.revoked_at is not None:
            raise error(401, "This desk's registration was revoked.")
        if m.device_seq <= device.last_seq:
            return _replay(session, device, m, digest)
        if m.device_seq > device.last_seq + 1:
            return Gap(device.last_seq + 1)
        used = session.scalar(
            select(IntentOutcome).where(IntentOutcome.mutation_id == m.mutation_id)
        )
        if used is not None:
            return p.Refusal(
                mutation_id=m.mutation_id,
                device_seq=m.device_seq,
                reason=f"Mutation id {m.mutation_id} was already used by intent "
                f"#{used.device_seq}; an intent id is never reused.",
            )
        now = clock.now()
        ctx, verdict = _judge(session, device, m, now)
        version = bump_version(session, device.venue_id)
        for row in ctx.touched if ctx else ():
            row.version = version  # type: ignore[attr-defined]
        session.add(
            IntentOutcome(
                device_id=device.id,
                device_seq=m.device_seq,
                mutation_id=m.mutation_id,
                venue_id=device.venue_id,
                name=str(getattr(m, "name", "")),
                body_hash=digest,
                outcome=verdict.outcome.value,
                reason=verdict.reason,
                conflict_id=verdict.conflict_id,
                version=version,
            )
        )
        device.last_seq = m.device_seq
        device.last_seen_at = now
        session.flush()
        return p.Outcome(
            mutation_id=m.mutation_id,
            device_seq=m.device_seq,
            outcome=verdict.outcome,
            reason=verdict.reason,
            conflict_id=verdict.conflict_id,
            version=version,
        )


def _replay(
    session: Session, device: Device, m: p.MutationBase, digest: str
) -> p.Outcome | p.Refusal:
    stored = session.get(IntentOutcome, (device.id, m.device_seq))
    if stored is not None and stored.mutation_id == m.mutation_id and stored.body_hash == digest:
        return _stored(stored)
    reason = (
        f"Intent #{m.device_seq} was already received with a different body; "
        "the same intent must be sent unchanged."
        if stored is not None and stored.mutation_id == m.mutation_id
        else f"device_seq {m.device_seq} was already used by another intent."
    )
    return p.Refusal(mutation_id=m.mutation_id, device_seq=m.device_seq, reason=reason)


def _judge(
    session: Session, device: Device, m: p.MutationBase, now: object
) -> tuple[IntentContext | None, Verdict]:
    def rejected(reason: str) -> tuple[None, Verdict]:
        return None, Verdict(p.OutcomeKind.REJECTED, reason)

    broken = _verify_and_store_audit(session, device, m)
    if broken:
        return rejected(broken)
    staff = session.get(StaffMember, m.staff_id)
    if staff is None or staff.venue_id != device.venue_id or not staff.active:
        return rejected(f"Staff member {m.staff_id} is not an active member of this venue.")
    found = venue_and_plan(session, device.venue_id)
    if found is None:
        return rejected("This desk's venue no longer exists on the server.")
    ctx = IntentContext(
        session=session,
        venue=found[0],
        plan=found[1],
        device=device,
        staff=Staff(str(staff.id), staff.name, Role(staff.role)),
        now=now,  # type: ignore[arg-type]
        mutation=m,
    )
    savepoint = session.begin_nested()
    try:
        verdict = JUDGES[p.IntentName(m.name)](ctx, m)
        savepoint.commit()
        return ctx, verdict
    except Conflicted as clash:
        savepoint.rollback()
        ctx.touched.clear()
        conflict = _record(ctx, clash)
        return ctx, Verdict(p.OutcomeKind.CONFLICT, str(clash), conflict.id)
    except Rejected as refusal:
        savepoint.rollback()
        return rejected(str(refusal))
    except DomainError as rule:
        savepoint.rollback()
        return rejected(str(rule))


def _record(ctx: IntentContext, clash: Conflicted) -> Conflict:
    conflict = Conflict(
        id=uuid.uuid4(),
        venue_id=ctx.venue_id,
        kind=clash.kind.value,
        state=p.ConflictState.OPEN.value,
        booking_id=clash.booking_id,
        other_booking_id=clash.other_booking_id,
        detail=clash.detail,
        device_id=ctx.device.id,
        staff_id=uuid.UUID(ctx.staff.id),
        staff_name=ctx.staff.name,
        mutation_id=ctx.mutation.mutation_id,
        allowed=[r.value for r in ALLOWED[clash.kind]],
        created_at=ctx.now,
    )
    ctx.session.add(conflict)
    ctx.touch(conflict)
    return conflict


def _verify_and_store_audit(session: Session, device: Device, m: p.MutationBase) -> str | None:
    if not m.audit:
        return None
    events = [
        ChainEvent(
            id=str(e.id),
            device_id=str(e.device_id),
            seq=e.seq,
            at=e.at,
            staff_id=str(e.staff_id),
            staff_name=e.staff_name,
            action=e.action,
            entity=e.entity,
            entity_id=str(e.entity_id),
            before=e.before,
            after=e.after,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in m.audit
    ]
    if any(e.device_id != device.id for e in m.audit):
        return "An audit event in this intent was written by another desk."
    broken = verify_chain(events, start_hash=device.audit_hash, start_seq=device.audit_seq + 1)
    if broken is not None:
        return f"This desk's audit trail does not verify ({broken}); the intent was refused."
    session.add_all(
        AuditEvent(
            id=e.id,
            venue_id=device.venue_id,
            device_id=device.id,
            seq=e.seq,
            at=e.at,
            staff_id=e.staff_id,
            staff_name=e.staff_name,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            before=e.before,
            after=e.after,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in m.audit
    )
    device.audit_seq, device.audit_hash = m.audit[-1].seq, m.audit[-1].hash
    return None
