"""The depth-first search behind ``pack``: bookings in start order, one table choice each.

Three things keep it small:

* **State up to symmetry.** In start order a table matters only by what is
  booked on it from now on; interchangeable units (``symmetry``) equally busy
  from now on are the same, so only one of them is tried, and a state proven
  hopeless is remembered in canonical form.
* **Counting bounds** (``bounds.Slack``): a choice that leaves some slot with
  more parties than tables for them is cut at once.
* **Backjumping.** Every failure comes with the set of earlier choices that
  caused it (the party sitting on a table that was wanted, the parties that
  used up a set of tables, everybody still seated when a state is known to
  fail). When a booking's failure does not involve the choice just made, its
  other options cannot help, so the search goes straight back to the latest
  choice that did. This is conflict-directed backjumping; it is what lets the
  search prove quickly that a busy night has no room.

Conflict sets are bitsets of levels (bit ``i``: the choice of the ``i``-th
booking in start order). Every set only names bookings still seated at the
failing booking's start: each table holds at most one of those, so fixing
them fixes everything that booking's future depends on.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from app.domain.allocation.bounds import Slack
from app.domain.allocation.options import Option
from app.domain.allocation.symmetry import Symmetry

Entry = tuple[Option, tuple[int, ...], Hashable, tuple[int, ...]]


class BudgetSpent(Exception):
    pass


class Search:
    def __init__(
        self,
        fixed: Sequence[int],
        spans: Sequence[tuple[int, int]],
        masks: Sequence[int],
        choices: Sequence[Sequence[Option]],
        reaches: Sequence[int],
        symmetry: Symmetry,
        node_limit: int,
    ) -> None:
        self.spans = [(max(first, 0), end) for first, end in spans]
        self.masks = masks
        self.choices = choices
        self.symmetry = symmetry
        self.fixed = fixed
        self.slack = Slack(fixed, spans, choices, reaches)
        self.busy = list(fixed)
        groups: dict[int, list[tuple[int, ...]]] = {}
        for unit, members in enumerate(symmetry.members):
            groups.setdefault(symmetry.group_of[unit], []).append(members)
        # Groups of single tables, by their tables; groups of joinable units, by unit.
        self.plain_groups = [
            [u[0] for u in units] for units in groups.values() if len(units[0]) == 1
        ]
        self.joined_groups = [units for units in groups.values() if len(units[0]) > 1]
        # The level of the last booking seated on each table (-1: none).
        self.occupant = [-1] * len(fixed)
        self.chosen: list[Option | None] = [None] * len(spans)
        self._entries_of: list[list[Entry] | None] = [None] * len(spans)
        self.failed: set[tuple[Hashable, ...]] = set()
        self.failures = [0] * (len(spans) + 1)
        self.nodes = 0
        self.node_limit = node_limit

    def reset(self, node_limit: int) -> None:
        """Start again from nothing placed, keeping the states known to fail."""
        self.nodes = 0
        self.node_limit = node_limit
        self.busy = list(self.fixed)
        self.occupant = [-1] * len(self.fixed)
        self.chosen = [None] * len(self.spans)
        self.slack.reset()

    def feasible_at_root(self) -> bool:
        return self.slack.feasible()

    def run(self) -> bool:
        """True when every booking got a table (see ``chosen``); raises BudgetSpent."""
        return self._place(0) is None

    def _unit(self, unit: int, now: int) -> Hashable:
        busy = self.busy
        members = self.symmetry.members[unit]
        if len(members) == 1:
            return busy[members[0]] >> now
        return tuple(busy[p] >> now for p in members)

    def _state(self, now: int) -> tuple[Hashable, ...]:
        busy = self.busy
        state: list[Hashable] = [
            tuple(sorted([busy[p] >> now for p in tables])) for tables in self.plain_groups
        ]
        for units in self.joined_groups:
            state.append(tuple(sorted([tuple([busy[p] >> now for p in u]) for u in units])))
        return tuple(state)

    def _seated_at(self, tables: Sequence[int], slot: int) -> int:
        """Levels of the bookings on ``tables`` at ``slot``."""
        found = 0
        for p in tables:
            j = self.occupant[p]
            if j >= 0 and self.spans[j][0] <= slot < self.spans[j][1]:
                found |= 1 << j
        return found

    def _entries(self, i: int) -> list[Entry]:
        """Job ``i``'s choices with what decides which of them are twins at a moment:
        the kinds and roles of the units used, and every table of those units."""
        found = self._entries_of[i]
        if found is None:
            twin_key = self.symmetry.twin_key
            found = [(o, o.tables, *twin_key(o.tables)) for o in self.choices[i]]
            self._entries_of[i] = found
        return found

    def _place(self, i: int) -> int | None:
        """None when bookings ``i`` onwards all sit; else the conflict set of the failure."""
        if i == len(self.spans):
            return None
        self.nodes += 1
        if self.nodes > self.node_limit:
            raise BudgetSpent
        now = self.spans[i][0]
        # States are only worth comparing at levels where one has failed before.
        state = (i, *self._state(now)) if self.failures[i] else None
        if state is not None and state in self.failed:
            return self._seated_at(range(len(self.busy)), now)
        busy = self.busy
        mask = self.masks[i]
        slack = self.slack
        conflict = 0
        blocked: list[int] = []
        # Each choice tried: why it failed, and the tables of its units.
        tried: dict[Hashable, tuple[int, tuple[int, ...]]] = {}
        for option, tables, kind, units in self._entries(i):
            if len(tables) == 1:
                if busy[tables[0]] & mask:
                    blocked.append(tables[0])
                    continue
            elif any(busy[p] & mask for p in tables):
                blocked.extend(p for p in tables if busy[p] & mask)
                continue
            signature = (kind, *[busy[p] >> now for p in units])
            twin = tried.get(signature)
            if twin is not None:
                # A twin of a choice that failed fails the same way, given who
                # sits on the units that make them twins.
                conflict |= twin[0] | self._seated_at([*twin[1], *units], now)
                continue
            spent = slack.seat(i, option)
            if spent is None:
                k, slot = slack.short
                culprits = 0
                for j in _bits(self._seated_at(slack.members[k], slot)):
                    chosen = self.chosen[j]
                    if chosen is not None and slack.spends(j, chosen, k):
                        culprits |= 1 << j
                conflict |= culprits
                tried[signature] = (culprits, units)
                continue
            saved = [busy[p] for p in tables]
            before = [self.occupant[p] for p in tables]
            for p in tables:
                busy[p] |= mask
                self.occupant[p] = i
            self.chosen[i] = option
            below = self._place(i + 1)
            if below is None:
                return None
            for p, was, who in zip(tables, saved, before, strict=True):
                busy[p] = was
                self.occupant[p] = who
            slack.unseat(i, spent)
            self.chosen[i] = None
            if not below >> i & 1:
                # The failure below does not depend on this booking's choice.
                self._remember(i, now, state)
                return below
            below &= ~(1 << i)
            conflict |= below
            tried[signature] = (below, units)
        if blocked:
            conflict |= self._seated_at(blocked, now)
        self._remember(i, now, state)
        return conflict

    def _remember(self, i: int, now: int, state: tuple[Hashable, ...] | None) -> None:
        self.failed.add(state if state is not None else (i, *self._state(now)))
        self.failures[i] += 1


def _bits(bitset: int) -> list[int]:
    found = []
    while bitset:
        low = bitset & -bitset
        found.append(low.bit_length() - 1)
        bitset ^= low
    return found
