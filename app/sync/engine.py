"""The sync engine: one desk's pull, push and status, one step at a time.

Rules:
* ``sync_once`` pushes the outbox in ``device_seq`` order in batches, then
  pulls to receive the outcomes and everyone else's changes. A desk that has
  never pulled pulls first, so it knows the server's staff before it sends.
  Outcomes are applied only from pulled pages, together with the rows they
  changed, so a lost push answer changes nothing: the next pull carries the
  same outcomes.
* Nothing here sleeps or starts a thread; the runner (app/sync/runner.py) and
  the simulator (tests/sim) decide when to call it. Retries inside one call are
  the client's (tenacity, with an injectable sleep).
* A 426 stops all syncing until the desk is updated; the outbox is kept.
* A push the server fails on (5xx, or an answer the desk cannot read) still
  lets the step pull, and an intent the server keeps failing on is retried a
  bounded number of times, then shown as needing attention (app/sync/stuck.py).
* Every failure becomes a status the desk shows in staff words, and the desk
  keeps working locally whatever the server does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.models.policy_repository import prices_waiting
from app.models.sync_tables import SyncConflictRow, SyncOutcomeRow
from app.models.tables import DeviceRow
from app.models.uow import Store
from app.protocol import EntityKind
from app.sync import outbox
from app.sync.apply import apply_page
from app.sync.client import (
    NotSignedIn,
    Offline,
    Refused,
    ServerApi,
    ServerTrouble,
    SyncProblem,
    UpdateRequired,
)
from app.sync.floor_check import floor_the_server_lacks, retire_floor_the_server_lacks
from app.sync.holds import HoldKeeper, Monotonic
from app.sync.mirror import NO_MANAGER
from app.sync.status import Cure, SyncMonitor, SyncNotice, SyncState, SyncStatus
from app.sync.stuck import LIMIT, ServerErrors, StuckIntent

# Rows that change the venue's rules (its plan, its prices) rather than its bookings.
VENUE_KINDS = frozenset(
    {EntityKind.TABLE, EntityKind.AREA, EntityKind.COMBINATION, EntityKind.DEPOSIT_POLICY}
)

WallClock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PushStopped(SyncProblem):
    """The server stopped a batch at an intent it would not take as sent."""

    def __init__(self, message: str, cure: Cure | None = None) -> None:
        super().__init__(message)
        self.cure = cure


class PullRefused(SyncProblem):
    """The server gives this desk none of its changes: it has lost some the desk pulled
    (restored from an older backup), so the desk takes its night again."""

    cure = Cure.TAKE_SERVER


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int
    open_conflicts: int
    refusals: int
    first_refusal: str | None
    # Other desks' refused changes, open there and not acknowledged here.
    elsewhere: int = 0
    first_elsewhere: str | None = None


class SyncEngine:
    def __init__(
        self,
        store: Store,
        api: ServerApi,
        monitor: SyncMonitor | None = None,
        *,
        wall_clock: WallClock = _utc_now,
        batch_size: int = 200,
        page_size: int = 500,
        server_error_limit: int = LIMIT,
    ) -> None:
        self.store = store
        self.api = api
        self.monitor = monitor or SyncMonitor()
        self.wall_clock = wall_clock
        self.batch_size = batch_size
        self.page_size = page_size
        self.server_errors = ServerErrors(server_error_limit)
        self.update_message: str | None = None
        self.last_synced: datetime | None = None
        self.clock_offset: timedelta | None = None
        self.pulled = 0
        self.venue_pulled = 0
        # Whether the last step ended on a problem (the runner backs off, then retries).
        self.failing = False
        with store.read() as reader:
            self.device_id = reader.session.scalars(select(DeviceRow.id)).one()

    # --- one step ----------------------------------------------------------

    def sync_once(self) -> SyncStatus:
        """Push, then pull (the outcomes come with the rows); publish the resulting status."""
        if self.update_message is not None:
            return self._publish(SyncState.UPDATE_REQUIRED, self.update_message)
        if self.last_synced is None:
            self._publish(SyncState.CONNECTING, "Connecting to the server…")
        elif self.counts().pending:
            # A quiet poll keeps the state staff already see, so the display does not flicker.
            self._publish(SyncState.SYNCING, "Sending changes…")
        self.failing = True
        try:
            if self.cursor() == 0:
                # The first pull re-keys this desk's staff to the server's before any push.
                self.pull()
            try:
                self.push()
            except (ServerTrouble, StuckIntent):
                # Everyone else's changes still come in while this desk's push is stuck.
                self.pull()
                self.server_errors.confirm()
                raise
            self.pull()
        except UpdateRequired as problem:
            self.update_message = str(problem)
            return self._publish(SyncState.UPDATE_REQUIRED, self.update_message)
        except Offline as problem:
            return self._publish(SyncState.OFFLINE, str(problem))
        except (NotSignedIn, ServerTrouble, Refused, PushStopped, SyncProblem) as problem:
            return self._publish(SyncState.NEEDS_ATTENTION, str(problem), problem.cure)
        self.failing = False
        self.last_synced = self.wall_clock()
        return self._publish(None, "")

    def crashed(self) -> SyncStatus:
        """Report a fault in the sync code itself; the runner logs it and retries later."""
        self.failing = True
        return self._publish(
            SyncState.NEEDS_ATTENTION,
            "Syncing stopped on an unexpected error and will try again; ask for support if "
            "this stays.",
        )

    def pull(self) -> int:
        """Apply pages until the server has nothing newer; how many pages were applied."""
        applied, first, venue = 0, self.cursor(), False
        # This desk's own new prices answered (applied or refused) change what it prices by.
        waiting = self._prices_waiting()
        while True:
            after, lineage = self._place()
            try:
                page = self.api.changes(after, self.page_size, lineage)
            except Refused as refused:
                # The server's only 409 on a pull: it lost changes this desk holds.
                if refused.status == 409:
                    raise PullRefused(str(refused)) from None
                raise
            if page.server_time is not None:
                self.clock_offset = page.server_time - self.wall_clock()
            if apply_page(self.store, after, page, self.wall_clock(), self.api.server_now()):
                applied += 1
                venue = venue or any(c.entity in VENUE_KINDS for c in page.changes)
            if not page.has_more:
                venue = self._floor_as_the_servers() or venue
                if self.cursor() != first:
                    self.pulled += 1
                    self.venue_pulled += venue or self._prices_waiting() != waiting
                return applied

    def _floor_as_the_servers(self) -> bool:
        """Whether a table, area or join the server lacks was taken out of use here
        (app/sync/floor_check.py): read first, written only when there is one."""
        with self.store.read() as reader:
            if not floor_the_server_lacks(reader.session):
                return False
        with self.store.unit_of_work() as uow:
            retired = retire_floor_the_server_lacks(uow.session)
            uow.commit()
        return retired > 0

    def _prices_waiting(self) -> int:
        with self.store.read() as reader:
            return prices_waiting(reader.session)

    def push(self) -> int:
        """Send the outbox in order; how many intents the server gave an outcome."""
        with self.store.read() as reader:
            queued = outbox.queued(reader.session)
        answered, start, size = 0, 0, self.batch_size
        while start < len(queued):
            self.server_errors.check(queued[start], len(queued) - start - 1)
            batch = queued[start : start + size]
            try:
                response = self.api.push(self.device_id, [q.body for q in batch])
            except ServerTrouble:
                if size > 1:
                    # One at a time finds the intent it fails on; those before it go through.
                    size = 1
                    continue
                self.server_errors.failed(batch[0])
                raise
            self.server_errors.sent(batch[: len(response.outcomes)])
            answered += len(response.outcomes)
            if response.refused is not None and response.refused.seq_taken:
                raise PushStopped(
                    f"The server already holds change #{response.refused.device_seq} from "
                    "this desk, so this desk's file is behind it (restored from an older "
                    "backup?). A manager can rebuild this desk from the server (Desk → "
                    "Put this desk right…, or `backroom sync --rebuild --user NAME`); "
                    "every change not yet sent is kept in a file first "
                    '(docs/operations.md, "Recovery").',
                    Cure.REBUILD,
                )
            if response.refused is not None:
                raise PushStopped(
                    f"The server would not take change #{response.refused.device_seq} "
                    f"from this desk: {response.refused.reason} It is kept here."
                )
            if response.expected_seq is not None:
                raise self._missing(response.expected_seq)
            if len(response.outcomes) < len(batch):
                break
            start += len(batch)
        return answered

    def _missing(self, expected: int) -> PushStopped:
        """Why the server stopped at ``expected``: a change it already answered once means
        the server lost what it knew of this desk (restored from an older copy)."""
        with self.store.read() as reader:
            answered = reader.session.scalar(select(func.max(SyncOutcomeRow.device_seq))) or 0
        if expected <= answered:
            return PushStopped(
                f"The server has lost changes #{expected} to #{answered} from this desk, "
                "which it had already answered: it was probably restored from an older "
                "backup. Nothing more is sent; every change is kept here. Ask the server's "
                "operator whether a newer copy can be put back; if not, a manager can "
                "rebuild this desk from the server (Desk → Put this desk right…), which "
                'keeps this file beside it (docs/operations.md, "The server restored from '
                'a backup").',
                Cure.REBUILD,
            )
        return PushStopped(
            f"The server is missing change #{expected} from this desk and stopped there; "
            "ask for support. Every change is kept here."
        )

    # --- reading the desk --------------------------------------------------

    def cursor(self) -> int:
        with self.store.read() as reader:
            return int(reader.session.scalars(select(DeviceRow.pull_cursor)).one())

    def _place(self) -> tuple[int, str | None]:
        """Where this desk's pulls stand: its cursor, and the copy of the venue's history
        (the server's lineage) it came from."""
        with self.store.read() as reader:
            cursor, lineage = reader.session.execute(
                select(DeviceRow.pull_cursor, DeviceRow.server_lineage)
            ).one()
        return int(cursor), lineage

    def counts(self) -> Counts:
        with self.store.read() as reader:
            s = reader.session
            conflicts = s.scalar(
                select(func.count())
                .select_from(SyncConflictRow)
                .where(SyncConflictRow.state == "open")
            )
            refusals = reader.refusals.unacknowledged()
            elsewhere = reader.refusals.elsewhere()
            return Counts(
                outbox.count(s),
                conflicts or 0,
                len(refusals),
                refusals[0].reason if refusals else None,
                len(elsewhere),
                f"at {elsewhere[0].device_name}: {elsewhere[0].reason}" if elsewhere else None,
            )

    def hold_keeper(self, monotonic: Monotonic = time.monotonic) -> HoldKeeper:
        """Holds taken through this engine's server, offers' deadlines sent on the
        server's clock as this engine last measured it."""
        return HoldKeeper(self.api, monotonic=monotonic, server_offset=lambda: self.clock_offset)

    def restate(self) -> SyncStatus:
        """Republish the status after a desk-local change (staff read a refusal), offline.

        A desk that has not synced yet, or whose last step failed, keeps the state it
        shows; otherwise the state is settled again from what is left on the desk.
        """
        if self.last_synced is None or self.failing or self.update_message is not None:
            return self.refresh()
        return self._publish(None, "")

    def refresh(self) -> SyncStatus:
        """Re-count pending intents and conflicts (after a local change) and republish."""
        current = self.monitor.status
        counts = self.counts()
        status = SyncStatus(
            current.state,
            counts.pending,
            counts.open_conflicts,
            current.last_synced,
            current.detail,
            counts.refusals,
            self.clock_offset,
            refused_elsewhere=counts.elsewhere,
            pulled=self.pulled,
            venue_pulled=self.venue_pulled,
            cure=current.cure,
        )
        self.monitor.publish(status)
        return status

    def _publish(
        self, state: SyncState | None, detail: str, cure: Cure | None = None
    ) -> SyncStatus:
        counts = self.counts()
        if state is None:
            state, detail = self._settled(counts)
        elif counts.pending and state in (SyncState.OFFLINE, SyncState.NEEDS_ATTENTION):
            detail = f"{detail} {_kept(counts.pending)}"
        elif counts.pending and state is SyncState.UPDATE_REQUIRED:
            detail = f"{detail} ({_kept(counts.pending)})"
        status = SyncStatus(
            state,
            counts.pending,
            counts.open_conflicts,
            self.last_synced,
            detail,
            counts.refusals,
            self.clock_offset,
            notices=self._take_notices(),
            refused_elsewhere=counts.elsewhere,
            pulled=self.pulled,
            venue_pulled=self.venue_pulled,
            cure=cure,
        )
        self.monitor.publish(status)
        return status

    def _take_notices(self) -> tuple[SyncNotice, ...]:
        """The notices no one has seen yet, marked shown as they go out in a status."""
        with self.store.read() as reader:
            found = reader.notices.unshown()
        if not found:
            return ()
        with self.store.unit_of_work() as uow:
            uow.notices.mark_shown([n.id for n in found], self.wall_clock())
            uow.commit()
        return tuple(SyncNotice(n.message, warning=n.kind == NO_MANAGER) for n in found)

    def _settled(self, counts: Counts) -> tuple[SyncState, str]:
        if counts.refusals:
            noun = "change" if counts.refusals == 1 else "changes"
            return (
                SyncState.NEEDS_ATTENTION,
                f"The server refused {counts.refusals} {noun}: {counts.first_refusal}",
            )
        if counts.open_conflicts:
            noun = "booking needs" if counts.open_conflicts == 1 else "bookings need"
            return SyncState.NEEDS_ATTENTION, f"{counts.open_conflicts} {noun} a decision."
        if counts.elsewhere:
            noun = "change" if counts.elsewhere == 1 else "changes"
            return (
                SyncState.NEEDS_ATTENTION,
                f"The server refused {counts.elsewhere} {noun} made at other desks, "
                f"{counts.first_elsewhere}",
            )
        if counts.pending:
            return SyncState.SYNCING, f"Sending {counts.pending} changes."
        return SyncState.UP_TO_DATE, "Everything is saved on the server."


def _kept(pending: int) -> str:
    noun = "change is" if pending == 1 else "changes are"
    return f"{pending} {noun} saved on this desk and will be sent when it can."
