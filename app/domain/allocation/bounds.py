"""Counting bounds that prove "no room" without searching.

At every slot each party needs its own table (a party that can only sit at
a join needs two), so for any set of tables T, the parties present whose
every option lies inside T must not outnumber the tables of T that are free
then (Hall's condition). ``Slack`` keeps, for a family of such sets (the
tables each kind of party can use, and unions of two of them), the spare
tables per slot, and updates it as the search seats parties: seating a party
on tables of T that it did not have to use spends T's spare tables. A
negative slack anywhere is a proof that the branch cannot succeed.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.allocation.options import Option
from app.domain.allocation.slots import bits

_SETS: dict[tuple[int, ...], int] = {}


def table_set(options: Sequence[Option]) -> int:
    """The tables of the options, as a bitset of positions."""
    bitset = 0
    for option in options:
        bits = _SETS.get(option.tables)
        if bits is None:
            bits = sum(1 << p for p in set(option.tables))
            _SETS[option.tables] = bits
        bitset |= bits
    return bitset


def family(reaches: Sequence[int]) -> list[int]:
    """The tables each kind of party can use, and each union of two that overlap."""
    kinds = sorted(set(r for r in reaches if r))
    sets = set(kinds)
    for n, a in enumerate(kinds):
        for b in kinds[n + 1 :]:
            if a & b:
                sets.add(a | b)
    return sorted(sets, key=lambda s: (s.bit_count(), s))


class Slack:
    """Spare tables per slot for each set of the family, given who is seated so far."""

    def __init__(
        self,
        fixed: Sequence[int],
        spans: Sequence[tuple[int, int]],
        choices: Sequence[Sequence[Option]],
        static_reach: Sequence[int],
    ) -> None:
        self.sets = family(static_reach)
        self.spans = [(max(first, 0), end) for first, end in spans]
        horizon = max((end for _, end in self.spans), default=0)
        self.reach = [table_set(c) for c in choices]
        self.need = [min((len(o.tables) for o in c), default=1) for c in choices]
        inside: dict[int, list[int]] = {}
        for reach in self.reach:
            if reach not in inside:
                inside[reach] = [k for k, tables in enumerate(self.sets) if not reach & ~tables]
        self.inside = [inside[reach] for reach in self.reach]
        change = [[0] * (horizon + 1) for _ in self.sets]
        for p, mask in enumerate(fixed):
            if mask:
                for k, tables in enumerate(self.sets):
                    if tables >> p & 1:
                        for s in bits(mask):
                            if s < horizon:
                                change[k][s] += 1
                                change[k][s + 1] -= 1
        for j, (first, end) in enumerate(self.spans):
            for k in self.inside[j]:
                change[k][first] += self.need[j]
                change[k][end] -= self.need[j]
        self.slack: list[list[int]] = []
        for tables, steps in zip(self.sets, change, strict=True):
            row = []
            used = 0
            total = tables.bit_count()
            for s in range(horizon):
                used += steps[s]
                row.append(total - used)
            self.slack.append(row)
        self._initial = [row[:] for row in self.slack]
        self.members = [
            [p for p in range(tables.bit_length()) if tables >> p & 1] for tables in self.sets
        ]
        self._spend: dict[tuple[int, tuple[int, ...]], list[tuple[int, int]]] = {}
        # Where the last ``seat`` that failed went short: (set, slot).
        self.short: tuple[int, int] = (-1, -1)

    def reset(self) -> None:
        """Back to nobody seated."""
        self.slack = [row[:] for row in self._initial]

    def feasible(self) -> bool:
        """False when, before anyone is seated, some slot already has too few tables."""
        return all(min(row, default=0) >= 0 for row in self.slack)

    def spend(self, j: int, option: Option) -> list[tuple[int, int]]:
        """(set, tables) that seating job ``j`` on ``option`` takes beyond what it needed."""
        key = (j, option.tables)
        found = self._spend.get(key)
        if found is None:
            bits = table_set((option,))
            inside = set(self.inside[j])
            found = []
            for k, tables in enumerate(self.sets):
                used = (bits & tables).bit_count()
                extra = used - (self.need[j] if k in inside else 0)
                if extra > 0:
                    found.append((k, extra))
            self._spend[key] = found
        return found

    def seat(self, j: int, option: Option) -> list[tuple[int, int]] | None:
        """Take job ``j``'s extra tables from the slack; None (and nothing changed) if any
        slot would go short."""
        first, end = self.spans[j]
        spent = self.spend(j, option)
        done: list[tuple[int, int]] = []
        for k, extra in spent:
            row = self.slack[k]
            short = -1
            for s in range(first, end):
                row[s] -= extra
                if row[s] < 0 and short < 0:
                    short = s
            done.append((k, extra))
            if short >= 0:
                self.unseat(j, done)
                self.short = (k, short)
                return None
        return done

    def spends(self, j: int, option: Option, k: int) -> bool:
        """Whether seating job ``j`` on ``option`` takes tables of set ``k`` it did not need."""
        return any(n == k for n, _ in self.spend(j, option))

    def unseat(self, j: int, done: list[tuple[int, int]]) -> None:
        first, end = self.spans[j]
        for k, extra in done:
            row = self.slack[k]
            for s in range(first, end):
                row[s] += extra
