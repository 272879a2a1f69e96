"""The worker that sends the outbox: claim with a lease, send, mark; retries with backoff.

Exactly once, as far as each channel allows (docs/messages.md, "Exactly once"):

* A message is **claimed** in a short transaction (``FOR UPDATE SKIP LOCKED``, status
  ``sending``, a lease until ``now + lease``), sent outside any transaction, then
  **marked** ``sent`` in another, fenced by the lease owner. A worker killed anywhere
  leaves the message ``sending``; once the lease runs out another worker claims it.
* **SMS**: before any attempt after the first, the worker asks the provider whether it
  already took the message (same number, same body, since the first attempt began)
  and, if so, records that instead of sending again. So a kill between the provider's
  answer and our mark neither drops the message nor sends it twice.
* **Email**: SMTP cannot be asked afterwards. A resent email carries the same
  Message-ID (derived from the idempotency key), so a kill in the instant between the
  relay's "250 accepted" and our mark can deliver it twice, recognisably the same mail
  (mail programs such as Gmail show it once); it is never dropped.
* Failures a retry can mend are retried twice at once (tenacity, short jittered
  waits) and then put back with an exponential backoff (30 s, 1 min, 2 min, … ≤ 1 h)
  until ``max_attempts``; the rest fail at once. A number that opted out is suppressed.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import tenacity
from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from server.clock import Clock
from server.messages.channels import Channels
from server.messages.compose import message_id
from server.messages.models import OutboxMessage
from server.messages.outbox import UNSTAMPED, is_suppressed, stamp_unstamped, suppress
from server.messages.ports import Email, SendFailed, Sent, Sms
from server.messages.twilio import OPTED_OUT

log = logging.getLogger("backroom.messages")
# How far the provider's clock may be behind ours when it dates a message.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: uuid.UUID
    venue_id: uuid.UUID
    channel: str
    recipient: str
    subject: str | None
    body: str
    html: str | None
    key: str
    attempts: int
    first_attempt_at: datetime


@dataclass
class Sender:
    sessions: sessionmaker[Session]
    channels: Channels
    clock: Clock
    # Where delivery reports go (``?message=<id>`` is added); None: no reports.
    status_url: str | None = None
    mail_domain: str = "backroom.invalid"
    owner: str = field(default_factory=lambda: f"sender-{uuid.uuid4()}")
    # Longer than any one send can take (the channels' timeouts), so a live worker's
    # claim never runs out under it.
    lease: timedelta = timedelta(minutes=2)
    batch: int = 20
    max_attempts: int = 8
    quick_tries: int = 3
    backoff: tenacity.wait.wait_base = field(
        default_factory=lambda: tenacity.wait_exponential(multiplier=15, min=30, max=3600)
    )
    sleep: Callable[[float], None] = time.sleep

    # ---- claim ---------------------------------------------------------------------
    def claim(self) -> list[Claimed]:
        now = self.clock.now()
        due = or_(
            (OutboxMessage.status == "pending") & (OutboxMessage.due_at <= now),
            (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
        )
        with self.sessions() as session, session.begin():
            rows = session.scalars(
                select(OutboxMessage)
                .where(due)
                .order_by(OutboxMessage.due_at)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            ).all()
            claimed = []
            for row in rows:
                row.status, row.lease_owner = "sending", self.owner
                row.lease_until = now + self.lease
                row.attempts += 1
                row.attempt_started_at = row.attempt_started_at or now
                claimed.append(
                    Claimed(
                        row.id, row.venue_id, row.channel, row.recipient, row.subject,
                        row.body, row.html, row.idempotency_key, row.attempts,
                        row.attempt_started_at,
                    )
                )  # fmt: skip
        return claimed

    # ---- send ----------------------------------------------------------------------
    def send(self, message: Claimed) -> None:
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            # Still ours? Then a fresh lease for this send: a batch's last message
            # gets the same time as its first.
            mine = session.scalar(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == message.id,
                    OutboxMessage.lease_owner == self.owner,
                    OutboxMessage.lease_until > now,
                )
                .values(lease_until=now + self.lease)
                .returning(OutboxMessage.id)
            )
            stopped = is_suppressed(session, message.venue_id, message.channel, message.recipient)
        if mine is None:
            # This worker stalled past its lease; another has the message now.
            log.warning(
                "message %s: lease ran out before sending; left to its new owner", message.id
            )
            return
        if stopped:
            self._finish(message, status="suppressed", error="the guest asked us to stop")
            return
        try:
            sent = self._deliver(message)
        except SendFailed as failure:
            self._failed(message, failure)
        else:
            self._sent(message, sent)

    def _deliver(self, message: Claimed) -> Sent:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.quick_tries),
            wait=tenacity.wait_exponential_jitter(multiplier=0.2, max=2, jitter=0.2),
            retry=tenacity.retry_if_exception(lambda e: isinstance(e, SendFailed) and e.retryable),
            sleep=self.sleep,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                again = message.attempts > 1 or attempt.retry_state.attempt_number > 1
                return self._once(message, again)
        raise AssertionError("tenacity either returns or raises")  # pragma: no cover

    def _once(self, message: Claimed, again: bool) -> Sent:
        if message.channel == "email":
            return self.channels.email.send_email(
                Email(
                    to=message.recipient,
                    subject=message.subject or "",
                    text=message.body,
                    html=message.html or "",
                    message_id=message_id(message.key, self.mail_domain),
                )
            )
        callback = f"{self.status_url}?message={message.id}" if self.status_url else None
        sms = Sms(message.recipient, message.body, callback)
        if again:
            # An earlier attempt may have reached the provider before it died or timed out.
            found = self._taken_earlier(message, sms)
            if found is not None:
                return found
        return self.channels.sms.send_sms(sms)

    def _taken_earlier(self, message: Claimed, sms: Sms) -> Sent | None:
        """The provider's record of this message, if it has one: the same words to the
        same number since the first attempt (less the clocks' possible skew) that no
        other message of ours already owns."""
        candidates = self.channels.sms.find_sent(sms, message.first_attempt_at - CLOCK_SKEW)
        if not candidates:
            return None
        with self.sessions() as session:
            owned = set(
                session.scalars(
                    select(OutboxMessage.provider_id).where(
                        OutboxMessage.provider_id.in_([c.provider_id for c in candidates]),
                        OutboxMessage.id != message.id,
                    )
                )
            )
        mine = [c for c in candidates if c.provider_id not in owned]
        return mine[-1] if mine else None

    # ---- mark ----------------------------------------------------------------------
    def _sent(self, message: Claimed, sent: Sent) -> None:
        # A message the log channel took reached nobody: the desk must not say "sent".
        status = "logged" if sent.status == "logged" else "sent"
        self._finish(message, status=status, provider_id=sent.provider_id)

    def _failed(self, message: Claimed, failure: SendFailed) -> None:
        if message.channel == "sms" and failure.code == OPTED_OUT:
            with self.sessions() as session, session.begin():
                suppress(
                    session, message.venue_id, "sms", message.recipient,
                    "the provider says the number opted out", self.clock.now(),
                )  # fmt: skip
            self._finish(message, status="suppressed", error=failure.reason)
        elif failure.retryable and message.attempts < self.max_attempts:
            state = tenacity.RetryCallState(None, None, (), {})  # type: ignore[arg-type]
            state.attempt_number = message.attempts
            later = self.clock.now() + timedelta(seconds=self.backoff(state))
            self._finish(message, status="pending", error=failure.reason, due_at=later)
        else:
            self._finish(message, status="failed", error=failure.reason)
        log.warning("message %s (%s): %s", message.id, message.channel, failure.reason)

    def _finish(
        self,
        message: Claimed,
        *,
        status: str,
        provider_id: str | None = None,
        error: str | None = None,
        due_at: datetime | None = None,
    ) -> None:
        """Fenced by the lease: a worker whose lease ran out (and whose message another
        worker took over) changes nothing. A delivery report that came first stands."""
        values: dict[str, object] = {"lease_owner": None, "lease_until": None}
        if status in ("sent", "logged"):
            values |= {"provider_id": provider_id, "sent_at": self.clock.now()}
        if error is not None:
            values["last_error"] = error
        if due_at is not None:
            values["due_at"] = due_at
        # The mark commits at once, alone: between the provider's answer and this commit
        # a kill sends the message again (an email cannot be asked about afterwards), so
        # the venue's version, which may wait behind a push, is taken just after
        # (``stamp_unstamped``; a sender that dies in between stamps it on its next pass).
        with self.sessions() as session, session.begin():
            done = session.scalar(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == message.id,
                    OutboxMessage.lease_owner == self.owner,
                )
                .values(
                    status=_unless_reported(status),
                    version=UNSTAMPED,
                    updated_at=self.clock.now(),
                    **values,
                )
                .returning(OutboxMessage.id)
            )
        if done is None:
            log.warning("message %s was taken over by another sender", message.id)
            return
        with self.sessions() as session, session.begin():
            stamp_unstamped(session, message.venue_id)

    # ---- loop ----------------------------------------------------------------------
    def run_once(self) -> int:
        self._stamp_leftovers()
        claimed = self.claim()
        for message in claimed:
            self.send(message)
        return len(claimed)

    def _stamp_leftovers(self) -> None:
        """Marks a sender that died before stamping them left unseen by the desks."""
        with self.sessions() as session, session.begin():
            venues = session.scalars(
                select(OutboxMessage.venue_id).where(OutboxMessage.version == UNSTAMPED).distinct()
            ).all()
            for venue_id in venues:
                stamp_unstamped(session, venue_id)

    def unfinished(self) -> int:
        """Messages due by now and not sent, or being sent (a reminder for next week is
        not: a worker run ``until_idle`` stops before it)."""
        now = self.clock.now()
        with self.sessions() as session:
            return len(
                session.scalars(
                    select(OutboxMessage.id).where(
                        (OutboxMessage.status == "sending")
                        | ((OutboxMessage.status == "pending") & (OutboxMessage.due_at <= now))
                    )
                ).all()
            )

    def run(self, *, poll: float = 1.0, until_idle: bool = False) -> None:
        while True:
            if self.run_once():
                continue
            if until_idle and not self.unfinished():
                return
            self.sleep(poll)


def _unless_reported(status: str) -> object:
    return case(
        (OutboxMessage.status.in_(("delivered", "failed")), OutboxMessage.status),
        else_=status,
    )
