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

The statements are few and written out (server/sync/outcome.py has the last
one): this is the server's hot path, and ORM loads and flushes cost several
times the SQL they send (docs/server.md, "Where the time goes").
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from psycopg.errors import (
    DeadlockDetected,
    ExclusionViolation,
    SerializationFailure,
    UniqueViolation,
)
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from app.domain.errors import DomainError
from app.domain.permissions import Role, Staff
from app.sync import protocol as p
from server.auth.principals import DevicePrincipal
from server.clock import Clock
from server.errors import error
from server.settings import Settings
from server.sync import bookings, create, other_intents, resolve
from server.sync.audit import verified_events
from server.sync.context import Conflicted, Desk, IntentContext, Redo, Rejected, Verdict
from server.sync.models import Conflict, IntentOutcome
from server.sync.outcome import record_outcome
from server.sync.pipeline import pipelined
from server.sync.placement import ALLOWED
from server.venues.service import PLAN_KEY_COLUMNS, venue_and_plan
from server.versioning import check_client, current_version

T = TypeVar("T")
Judge = Callable[[IntentContext, p.MutationBase], Verdict]
JUDGES: dict[p.IntentName, Judge] = {
    p.IntentName.CREATE_BOOKING: create.create_booking,  # type: ignore[dict-item]
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

_LOCK_DEVICE = (
    "SELECT venue_id, revoked_at, last_seq, audit_seq, audit_hash FROM devices "
    "WHERE id = %(device)s FOR UPDATE"
)
# A statement of its own after the lock, so that its snapshot includes whatever
# the desk's previous intent committed: the staff member named, whether the
# mutation id was used, and the key the cached floor plan is checked against.
# Both go with BEGIN in one round trip (pipeline.py).
_CHECKS = (
    "SELECT s.venue_id, s.name, s.role, s.active, "
    "(SELECT device_seq FROM intent_outcomes WHERE mutation_id = %(mutation)s), "
    f"{PLAN_KEY_COLUMNS.replace(':venue', '%(venue)s')} "
    "FROM (SELECT 1) AS one LEFT JOIN staff s ON s.id = %(staff)s"
)
ATTEMPTS = 4
# Judges that do all their checks before their first write, so they need no
# savepoint: a refusal before any write leaves nothing to undo. One that ends
# otherwise (a refusal after a write, or the exclusion constraint firing) is
# judged again from the start inside a savepoint, which costs only that intent.
CHECKS_FIRST = frozenset({p.IntentName.CREATE_BOOKING})


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
        result = with_retries(lambda m=m: _one(sessions, clock, device, m))
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
        bind = sessions.kw["bind"]
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            version = current_version(conn, device.venue_id)
    return p.PushResponse(
        outcomes=outcomes, expected_seq=expected, server_version=version, refused=refused
    )


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and isinstance(
        exc.orig, DeadlockDetected | SerializationFailure
    )


def with_retries(attempt: Callable[[], T]) -> T:
    """Run one intent's transaction again after a deadlock or serialization failure.

    Each attempt is a whole new transaction, so a retry sees the winner's
    commit. Bounded, with random exponential back-off so that two desks that
    collided do not collide again in step.
    """
    retrying = Retrying(
        retry=retry_if_exception(_transient),
        stop=stop_after_attempt(ATTEMPTS),
        wait=wait_random_exponential(multiplier=0.01, max=0.2),
        reraise=True,
    )
    return retrying(attempt)


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
    try:
        try:
            with sessions() as session, session.begin():
                return _apply(session, clock, principal, m, digest, safe=False)
        except Redo:
            with sessions() as session, session.begin():
                return _apply(session, clock, principal, m, digest, safe=True)
    except IntegrityError as exc:
        # Another intent took this mutation id between our check and our insert.
        if not isinstance(exc.orig, UniqueViolation) or "mutation_id" not in str(exc.orig):
            raise
        with sessions() as session:
            return _reused(session, m) or _replay(session, principal.device_id, m, digest)


def _apply(
    session: Session,
    clock: Clock,
    principal: DevicePrincipal,
    m: p.MutationBase,
    digest: str,
    *,
    safe: bool,
) -> p.Outcome | Gap | p.Refusal:
    row, checks = pipelined(
        session,
        (_LOCK_DEVICE, {"device": principal.device_id}),
        # A desk never changes venue, so the token's venue is the row's.
        (_CHECKS, {"mutation": m.mutation_id, "staff": m.staff_id, "venue": principal.venue_id}),
    )
    if row is None or row[1] is not None:
        raise error(401, "This desk's registration was revoked.")
    desk = Desk(principal.device_id, row[0], row[2], row[3], row[4])
    if m.device_seq <= desk.last_seq:
        return _replay(session, desk.id, m, digest)
    if m.device_seq > desk.last_seq + 1:
        return Gap(desk.last_seq + 1)
    if checks[4] is not None:
        return _refuse_reused(m, checks[4])
    now = clock.now()
    broken, audit_rows = verified_events(desk, m)
    if broken:
        ctx, verdict = None, Verdict(p.OutcomeKind.REJECTED, broken)
    else:
        ctx, verdict = _judge(session, desk, m, now, checks, safe)
    version = record_outcome(
        session, desk, m, digest, verdict, now, ctx.touched if ctx else {}, audit_rows
    )
    return p.Outcome(
        mutation_id=m.mutation_id,
        device_seq=m.device_seq,
        outcome=verdict.outcome,
        reason=verdict.reason,
        conflict_id=verdict.conflict_id,
        version=version,
    )


def _refuse_reused(m: p.MutationBase, used_by: int) -> p.Refusal:
    return p.Refusal(
        mutation_id=m.mutation_id,
        device_seq=m.device_seq,
        reason=f"Mutation id {m.mutation_id} was already used by intent "
        f"#{used_by}; an intent id is never reused.",
    )


def _reused(session: Session, m: p.MutationBase) -> p.Refusal | None:
    found = session.execute(
        text("SELECT device_id, device_seq FROM intent_outcomes WHERE mutation_id = :m"),
        {"m": m.mutation_id},
    ).first()
    if found is None or (found[0] == m.device_id and found[1] == m.device_seq):
        return None
    return _refuse_reused(m, found[1])


def _replay(
    session: Session, device_id: uuid.UUID, m: p.MutationBase, digest: str
) -> p.Outcome | p.Refusal:
    stored = session.get(IntentOutcome, (device_id, m.device_seq))
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
    session: Session, desk: Desk, m: p.MutationBase, now: datetime, checks: Any, safe: bool
) -> tuple[IntentContext | None, Verdict]:
    def rejected(reason: str) -> tuple[None, Verdict]:
        return None, Verdict(p.OutcomeKind.REJECTED, reason)

    staff_venue, staff_name, staff_role, staff_active = checks[0:4]
    if staff_venue != desk.venue_id or not staff_active:
        return rejected(f"Staff member {m.staff_id} is not an active member of this venue.")
    found = venue_and_plan(session, desk.venue_id, tuple(checks[5:9]))
    if found is None:
        return rejected("This desk's venue no longer exists on the server.")
    ctx = IntentContext(
        session=session,
        venue=found[0],
        plan=found[1],
        device=desk,
        staff=Staff(str(m.staff_id), staff_name, Role(staff_role)),
        now=now,
        mutation=m,
        safe=safe or p.IntentName(m.name) not in CHECKS_FIRST,
    )
    if not ctx.safe:
        return _judge_checks_first(ctx, m)
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


def _judge_checks_first(
    ctx: IntentContext, m: p.MutationBase
) -> tuple[IntentContext | None, Verdict]:
    try:
        return ctx, JUDGES[p.IntentName(m.name)](ctx, m)
    except IntegrityError as exc:
        # After a write, any constraint (the exclusion constraint, a foreign key
        # of tables taken for a booking that was not inserted) means: again, safely.
        if ctx.wrote or isinstance(exc.orig, ExclusionViolation):
            raise Redo from exc
        raise
    except (Conflicted, Rejected, DomainError) as refusal:
        if ctx.wrote:
            raise Redo from refusal
        if isinstance(refusal, Conflicted):
            ctx.touched.clear()
            conflict = _record(ctx, refusal)
            return ctx, Verdict(p.OutcomeKind.CONFLICT, str(refusal), conflict.id)
        return None, Verdict(p.OutcomeKind.REJECTED, str(refusal))


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
