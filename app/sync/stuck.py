"""Intents the server keeps failing on: retried a bounded number of times, then shown.

A push the server answers with a 5xx (or with an answer the desk cannot read)
is tried again on the next sync step. When the same intent fails so while the
server otherwise answers (the pull in the same step works), the fault is in
that intent, not an outage: after ``limit`` such steps it is no longer sent
and the desk says which change it is, as needing attention. It stays in the
outbox; the next start of the desk (or ``backroom sync``) tries it once more.
The intents after it wait, since the server takes a desk's intents only in
``device_seq`` order; the intents before it and every pull go on as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.sync.client import SyncProblem
from app.sync.outbox import Queued

# Sync steps in a row the server may fail on the same intent before the desk stops.
LIMIT = 3


class StuckIntent(SyncProblem):
    """The desk has stopped sending an intent the server keeps failing on."""


@dataclass
class ServerErrors:
    limit: int = LIMIT
    failures: dict[str, int] = field(default_factory=dict)
    # The intent this step's push failed on, counted once the pull shows the server is up.
    suspect: Queued | None = None

    def check(self, head: Queued, waiting: int) -> None:
        """Refuse to send ``head`` again once the server has failed on it ``limit`` times."""
        if self.failures.get(head.mutation_id, 0) < self.limit:
            return
        after = f" and the {waiting} after it, which must follow it" if waiting else ""
        raise StuckIntent(
            f"The server failed on change #{head.device_seq} ({head.name.replace('_', ' ')}) "
            f"{self.limit} times in a row, so this desk has stopped sending it{after}. "
            "Everything is kept here; ask for support (restarting the desk tries it again)."
        )

    def failed(self, item: Queued) -> None:
        self.suspect = item

    def confirm(self) -> None:
        """The server answered the pull: the suspect failed on its own account."""
        if self.suspect is not None:
            key = self.suspect.mutation_id
            self.failures[key] = self.failures.get(key, 0) + 1
        self.suspect = None

    def sent(self, items: Iterable[Queued]) -> None:
        for item in items:
            self.failures.pop(item.mutation_id, None)
