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

One way of judging: the desk's lock and the checks go to PostgreSQL in one
round trip with whatever the intent's judge asks to read (its tables' locks
first); the judge decides from those reads with the intent's one meaning
(app.protocol.meaning), refusing before it writes anything; its writes go with
the outcome and COMMIT in the last round trip (server/sync/outcome.py). A
constraint that fires anyway — a deadlock, a serialization failure, the
exclusion constraint — aborts the transaction, and the intent is judged again
from the start (bounded, jittered), then answered 503 (docs/server.md, "Where
the time goes").
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from fastapi import HTTPException
from psycopg.errors import (
    DeadlockDetected,
    ExclusionViolation,
    SerializationFailure,
    UniqueViolation,
)
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from app import protocol as p
from app.domain.errors import DomainError, PermissionDenied
from app.domain.permissions import Role, Staff, refuse_above_ceiling
from app.protocol import meaning
from app.protocol.intents import (
    ClaimDeposit,
    GiveBackDeposit,
    RecordDepositPayment,
    RefundDeposit,
    RequestDeposit,
    ResendDepositLink,
    ResendMessage,
    SendSms,
    WaiveDeposit,
)
from app.protocol.meaning import ConflictFacts, Judging
from server.auth.principals import DevicePrincipal
from server.auth.service import signed_in, token_usable
from server.clock import Clock
from server.deps import device_only
from server.errors import error
from server.security import token_hash
from server.settings import Settings
from server.sync import (
    bookings,
    create,
    deposit_actions,
    deposit_requests,
    deposits,
    erasure,
    floor,
    guest_messages,
    guests,
    messages,
    prices,
    rearrange,
    refusals,
    undo,
)
from server.sync.audit import verified_events
from server.sync.context import Conflicted, Desk, Forgotten, IntentContext, Rejected, Verdict
from server.sync.forgotten import refuse_words_for_the_forgotten, scrubbed_events
from server.sync.models import Conflict, Customer, IntentOutcome
from server.sync.outcome import record_outcome
from server.sync.pipeline import Rows, Statement, pipelined
from server.sync.placement import PlanMoved, record_conflict
from server.sync.staff import update_staff
from server.venues.policy import policy_versions
from server.venues.service import PLAN_KEY_NAMES, PLAN_KEY_PIPELINED, venue_rules
from server.versioning import check_client, current_version

T = TypeVar("T")
Judge = Callable[[IntentContext, Any], Verdict]
JUDGES: dict[type[p.AnyMutation], Judge] = {
    p.CreateBooking: create.create_booking,
    p.MoveBooking: bookings.booking_intent,
    p.EditDetails: bookings.booking_intent,
    p.SetStatus: bookings.booking_intent,
    p.RecordSpend: bookings.booking_intent,
    # A cancellation may give a deposit back by the venue's policy.
    p.Cancel: deposit_actions.cancel,
    p.UndoCancel: undo.undo_cancel,
    p.Rearrange: rearrange.rearrange,
    p.ResolveConflict: bookings.resolve_conflict,
    p.UpsertCustomer: guests.upsert_customer,
    p.UpdateTable: floor.update_table,
    p.UpdateArea: floor.update_area,
    p.UpdateCombination: floor.update_combination,
    p.UpdateStaff: update_staff,
    p.SettleRefusal: refusals.settle_refusal,
    RecordDepositPayment: deposits.settle_deposit,
    WaiveDeposit: deposits.settle_deposit,
    GiveBackDeposit: deposits.settle_deposit,
    RequestDeposit: deposit_requests.request_deposit,
    ResendDepositLink: deposit_requests.resend_link,
    ClaimDeposit: deposit_actions.deposit_action,
    RefundDeposit: deposit_actions.deposit_action,
    SendSms: messages.send_sms,
    ResendMessage: messages.resend_message,
    p.EraseGuest: erasure.erase_guest,
    p.SetDepositPolicy: prices.set_deposit_policy,
}
# What a judge reads in the first round trip, with the desk's lock (by name).
READS: dict[type[p.AnyMutation], Callable[[Any, uuid.UUID], dict[str, Statement]]] = {
    p.CreateBooking: create.reads,
}

# The desk's lock is also its token's check: only the desk the token was issued to is
# locked, so a stranger's token locks nothing, and no round trip of its own is spent
# checking the token (a tenth of a create push's CPU when it had one).
_LOCK_DEVICE = (
    "SELECT d.venue_id, d.revoked_at, d.last_seq, d.audit_seq, d.audit_hash, d.role_ceiling, "
    "d.name, t.expires_at AS token_expires_at, t.revoked_at AS token_revoked_at "
    "FROM devices d JOIN tokens t ON t.device_id = d.id "
    "WHERE d.id = %(device)s AND t.token_hash = %(token)s FOR UPDATE OF d"
)
# The last statement of the first round trip, so that its snapshot includes whatever
# committed while this intent waited for the desk's lock and the judge's table locks:
# the desk's previous intent (the staff member named, whether the mutation id was used)
# and a floor edit (the key the cached floor plan is checked against). The audit ids are a
# sub-select so that no plan sees how many there are: planned for one id, the statement
# looked cheaper than its generic plan, and PostgreSQL planned it anew on every push. Each
# id is looked up on its own (LATERAL … LIMIT 1, which no plan turns into a scan of the
# trail): `id = ANY(ids)`, planned generic while the trail was a few hundred events long,
# read the whole trail and kept doing so as it grew, until its statistics next changed.
CHECKS = (
    "SELECT s.venue_id AS staff_venue, s.name AS staff_name, s.role AS staff_role, "
    "s.active AS staff_active, "
    "(SELECT device_seq FROM intent_outcomes WHERE mutation_id = %(mutation)s) AS used_by, "
    "(SELECT count(*) FROM unnest(CAST((SELECT CAST(%(audit)s AS uuid[])) AS uuid[])) AS a(id) "
    "CROSS JOIN LATERAL (SELECT FROM audit_events e WHERE e.id = a.id LIMIT 1) AS hit) "
    "AS audit_taken, "
    f"{PLAN_KEY_PIPELINED} "
    "FROM (SELECT 1) AS one LEFT JOIN staff s ON s.id = %(staff)s"
)
ATTEMPTS = 4
APPLIED_OUTCOMES = (p.OutcomeKind.APPLIED.value, p.OutcomeKind.MERGED.value)


@dataclass(frozen=True)
class Gap:
    expected: int


@dataclass(frozen=True)
class Caller:
    """The desk a push names, with its venue and the hash of the token it came with: the
    token is checked with the desk's lock in each intent's first round trip."""

    device_id: uuid.UUID
    venue_id: uuid.UUID
    token_hash: str


class TokenRefused(Exception):
    """The token did not open the desk's row: the push is answered as any request with
    that token would be (401 or 403), nothing of this intent written."""


# Each desk's venue, learnt from its token the first time this process sees it: a
# desk never changes venue (server.auth.service.register_device), and the first round
# trip's reads need it. One entry per registered desk.
_VENUE_OF: dict[uuid.UUID, uuid.UUID] = {}


@dataclass(frozen=True)
class Replayed:
    """An outcome given before: its version is when it was judged, not now."""

    outcome: p.Outcome


def body_hash(mutation: p.MutationBase) -> str:
    body = json.dumps(mutation.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def push(
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: Clock,
    token: str,
    request: p.PushRequest,
) -> p.PushResponse:
    """Judge the intents of ``request`` for the desk whose ``token`` (a bearer token, not
    yet checked) came with it."""
    problem = _malformed(settings, request)
    venue_id = _VENUE_OF.get(request.device_id)
    if problem is not None or venue_id is None or not request.mutations:
        # Who is asking is answered first (401, 403), as on any other request.
        venue_id = _signed_in(sessions, clock, token, request.device_id).venue_id
        _VENUE_OF[request.device_id] = venue_id
    if problem is not None:
        raise problem
    caller = Caller(request.device_id, venue_id, token_hash(token))
    try:
        return _judged(sessions, settings, clock, caller, request)
    except TokenRefused:
        pass
    # Answered as any request with this token would be (nothing of the refused intent
    # was written; the intents before it are answered again, replayed, when it retries).
    device = _signed_in(sessions, clock, token, request.device_id)
    if device.venue_id != venue_id:  # never, unless the database was replaced under us
        _VENUE_OF[request.device_id] = device.venue_id
        caller = replace(caller, venue_id=device.venue_id)
        return _judged(sessions, settings, clock, caller, request)
    raise error(
        401,
        "This token stopped working during the push. Sign in again.",
        {"WWW-Authenticate": "Bearer"},
    )


def _signed_in(
    sessions: sessionmaker[Session], clock: Clock, token: str, device_id: uuid.UUID
) -> DevicePrincipal:
    device = device_only(signed_in(sessions.kw["bind"], token, clock.now()))
    if device_id != device.device_id:
        raise error(403, "This push names another desk than the one whose token was given.")
    return device


def _malformed(settings: Settings, request: p.PushRequest) -> HTTPException | None:
    """What is wrong with the batch as sent, said once the caller is known."""
    last = 0
    try:
        for m in request.mutations:
            if m.device_id != request.device_id:
                raise error(400, f"Intent {m.mutation_id} names another desk ({m.device_id}).")
            if m.device_seq <= last:
                raise error(400, "Intents must be sent in increasing device_seq order.")
            last = m.device_seq
            check_client(settings, m.protocol_version, m.schema_version)
    except HTTPException as problem:
        return problem
    return None


def _judged(
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: Clock,
    device: Caller,
    request: p.PushRequest,
) -> p.PushResponse:
    outcomes: list[p.Outcome] = []
    expected: int | None = None
    refused: p.Refusal | None = None
    judged_last = False
    payments = settings.payments_on
    public_url = settings.public_url
    for m in request.mutations:
        result = with_retries(lambda m=m: _one(sessions, clock, device, m, payments, public_url))
        if isinstance(result, Gap):
            expected = result.expected
            break
        if isinstance(result, p.Refusal):
            refused = result
            break
        judged_last = not isinstance(result, Replayed)
        outcomes.append(result.outcome if isinstance(result, Replayed) else result)
    if judged_last and outcomes[-1].version is not None and expected is None and refused is None:
        # The last intent was judged now, so its version is the venue's latest we wrote.
        version = max(o.version or 0 for o in outcomes)
    else:
        bind = sessions.kw["bind"]
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            version = current_version(conn, device.venue_id)
    return p.PushResponse(
        outcomes=outcomes, expected_seq=expected, server_version=version, refused=refused
    )


def _transient(exc: BaseException) -> bool:
    """Lost a race inside PostgreSQL: judged again, the intent sees the winner's commit."""
    if isinstance(exc, PlanMoved):
        return True
    if isinstance(exc, OperationalError):
        return isinstance(exc.orig, DeadlockDetected | SerializationFailure)
    if isinstance(exc, IntegrityError):
        return isinstance(exc.orig, ExclusionViolation) or (
            isinstance(exc.orig, UniqueViolation) and not _mutation_id_taken(exc)
        )
    return False


def _mutation_id_taken(exc: IntegrityError) -> bool:
    return isinstance(exc.orig, UniqueViolation) and "mutation_id" in str(exc.orig)


def with_retries(attempt: Callable[[], T]) -> T:
    """Run one intent's transaction again after it lost a race inside PostgreSQL.

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
    sessions: sessionmaker[Session],
    clock: Clock,
    principal: Caller,
    m: p.AnyMutation,
    payments: bool = False,
    public_url: str = "",
) -> p.Outcome | Replayed | Gap | p.Refusal:
    digest = body_hash(m)
    try:
        with sessions() as session, session.begin():
            return _apply(session, clock, principal, m, digest, payments, public_url)
    except IntegrityError as exc:
        # Another intent took this mutation id between our check and our insert.
        if not _mutation_id_taken(exc):
            raise
        with sessions() as session:
            return _reused(session, m) or _replay(session, principal.device_id, m, digest)


def _apply(
    session: Session,
    clock: Clock,
    principal: Caller,
    m: p.AnyMutation,
    digest: str,
    payments: bool = False,
    public_url: str = "",
) -> p.Outcome | Replayed | Gap | p.Refusal:
    reads = READS[type(m)](m, principal.venue_id) if type(m) in READS else {}
    audit_ids = [e.id for e in m.audit]
    device, *read, checks = pipelined(
        session,
        (_LOCK_DEVICE, {"device": principal.device_id, "token": principal.token_hash}),
        *reads.values(),
        (
            CHECKS,
            {
                "mutation": m.mutation_id,
                "staff": m.staff_id,
                "audit": audit_ids,
                # A desk never changes venue, so the venue learnt is the row's (checked below).
                "venue": principal.venue_id,
            },
        ),
    )
    now = clock.now()
    row = device[0] if device else None
    if (
        row is None
        or row["revoked_at"] is not None
        or not token_usable(row["token_expires_at"], row["token_revoked_at"], now)
    ):
        raise TokenRefused
    if row["venue_id"] != principal.venue_id:
        raise TokenRefused  # the venue learnt is not the desk's: learnt again
    desk = Desk(
        principal.device_id,
        row["venue_id"],
        row["last_seq"],
        row["audit_seq"],
        row["audit_hash"],
        Role(row["role_ceiling"]),
        row["name"],
    )
    if m.device_seq <= desk.last_seq:
        return _replay(session, desk.id, m, digest)
    if m.device_seq > desk.last_seq + 1:
        return Gap(desk.last_seq + 1)
    if checks[0]["used_by"] is not None:
        return _refuse_reused(m, checks[0]["used_by"])
    broken, audit_rows = verified_events(desk, m, taken=checks[0]["audit_taken"])
    if broken:
        ctx, verdict = None, Verdict(p.OutcomeKind.REJECTED, broken)
    else:
        found = dict(zip(reads, read, strict=True))
        key = tuple(checks[0][name] for name in PLAN_KEY_NAMES)
        ctx, verdict = _judge(session, desk, m, now, checks[0], found, key, payments, public_url)
        if ctx is not None:
            guest_messages.tell(ctx, verdict)
        audit_rows = scrubbed_events(session, desk, m, verdict, audit_rows, now)
    version = record_outcome(
        session,
        desk,
        m,
        digest,
        verdict,
        now,
        ctx.touched if ctx else {},
        audit_rows,
        ctx.writes if ctx else (),
        ctx.created if ctx else refusals.kept(desk, m, verdict, now),
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
) -> Replayed | p.Refusal:
    stored = session.get(IntentOutcome, (device_id, m.device_seq))
    if stored is not None and stored.mutation_id == m.mutation_id and stored.body_hash == digest:
        return Replayed(_stored(stored))
    if stored is not None and stored.mutation_id == m.mutation_id:
        reason = (
            f"Intent #{m.device_seq} was already received with a different body; "
            "the same intent must be sent unchanged."
        )
        return p.Refusal(mutation_id=m.mutation_id, device_seq=m.device_seq, reason=reason)
    return p.Refusal(
        mutation_id=m.mutation_id,
        device_seq=m.device_seq,
        reason=f"device_seq {m.device_seq} was already used by another intent.",
        seq_taken=True,
    )


def _judge(
    session: Session,
    desk: Desk,
    m: p.AnyMutation,
    now: datetime,
    checks: dict[str, Any],
    read: dict[str, Rows],
    plan_key: tuple[Any, ...],
    payments: bool = False,
    public_url: str = "",
) -> tuple[IntentContext | None, Verdict]:
    def rejected(reason: str) -> tuple[None, Verdict]:
        return None, Verdict(p.OutcomeKind.REJECTED, reason)

    if checks["staff_venue"] != desk.venue_id or not checks["staff_active"]:
        return rejected(f"Staff member {m.staff_id} is not an active member of this venue.")
    rules = venue_rules(session, desk.venue_id, plan_key)
    if rules is None:
        return rejected("This desk's venue no longer exists on the server.")
    staff = Staff(str(m.staff_id), checks["staff_name"], Role(checks["staff_role"]))
    try:
        refuse_above_ceiling(staff, desk.role_ceiling)
    except PermissionDenied as refused:
        return rejected(str(refused))
    ctx = IntentContext(
        session=session,
        rules=rules,
        device=desk,
        staff=staff,
        now=now,
        mutation=m,
        judging=_judging(session, rules, staff, now, m),
        read=read,
        payments=payments,
        public_url=public_url,
    )
    try:
        refuse_words_for_the_forgotten(ctx, m)
        return ctx, JUDGES[type(m)](ctx, m)
    except Forgotten as refusal:
        _nothing_written(ctx)
        return None, Verdict(p.OutcomeKind.REJECTED, str(refusal), scrub=refusal.traces)
    except Conflicted as clash:
        _nothing_written(ctx)
        conflict = record_conflict(
            ctx, clash.kind, clash.booking_id, clash.detail, clash.other_booking_id
        )
        return ctx, Verdict(p.OutcomeKind.CONFLICT, str(clash), conflict.id)
    except (Rejected, DomainError) as refusal:
        _nothing_written(ctx)
        return rejected(str(refusal))


def _judging(
    session: Session, rules: Any, staff: Staff, now: datetime, m: p.AnyMutation
) -> Judging:
    """What the intent's meaning asks of the database, read only if it asks."""

    def vip_of(customer_id: str) -> bool | None:
        customer = session.get(Customer, uuid.UUID(customer_id))
        return None if customer is None else customer.vip

    def conflict_of(conflict_id: str) -> ConflictFacts | None:
        conflict = session.get(Conflict, uuid.UUID(conflict_id))
        return (
            None
            if conflict is None
            else ConflictFacts(p.ConflictKind(conflict.kind), conflict.detail)
        )

    def cancel_version_of(mutation_id: str) -> int | None:
        # The version the named cancel made of its booking, if the server applied it.
        return session.scalar(
            select(IntentOutcome.version).where(
                IntentOutcome.mutation_id == uuid.UUID(mutation_id),
                IntentOutcome.venue_id == uuid.UUID(str(rules.venue.id)),
                IntentOutcome.name == p.IntentName.CANCEL.value,
                IntentOutcome.outcome.in_(APPLIED_OUTCOMES),
            )
        )

    return Judging(
        rules=rules,
        at=now,
        vip_of=vip_of,
        conflict_of=conflict_of,
        cancel_version_of=cancel_version_of,
        signature=meaning.signature(rules.venue, staff.name, m.device_time),
        refundable_of=lambda booking_id: deposit_actions.refundable(session, booking_id),
        held_of=lambda booking_id: deposit_actions.held(session, booking_id),
        policies_of=lambda: policy_versions(session, uuid.UUID(str(rules.venue.id))),
        link_of=lambda booking_id: deposit_requests.link_of(session, booking_id),
    )


def _nothing_written(ctx: IntentContext) -> None:
    """A judge refuses before it writes: a refusal after a write would be kept half-done."""
    session = ctx.session
    if ctx.touched or ctx.writes or ctx.created or session.new or session.dirty or session.deleted:
        raise RuntimeError(f"The judge of {ctx.mutation.name} refused after writing.")
