"""The venue's own rules, as the model reads them: hours, service days, deposits, seating.

Plain Python over the venue's data (its settings and floor rows as the server's
database holds them at the start of a seed). Sources: docs/architecture.md
(opening hours, the service day that runs past midnight, the deposit policy),
resources/backroom.json (the shape of the settings), and the brief's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class Deposits:
    """Each tier is (least party, pence a head): a party pays the tier with the largest
    least party it reaches, ``busy_tiers`` on busy service days; VIP guests (when exempt)
    and walk-ins pay nothing. (The simulation's venues count per head only.)"""

    tiers: tuple[tuple[int, int], ...] = ((8, 1000),)
    busy_days: frozenset[int] = frozenset({4, 5})
    busy_tiers: tuple[tuple[int, int], ...] = ((6, 1000),)
    vip_exempt: bool = True
    # The policy's version, stamped on each booking it prices (docs/payments.md).
    version: int = 1
    # Packages sold with a table, by id: (pence, per head, smallest party, largest party).
    packages: dict[str, tuple[int, bool, int, int]] = field(default_factory=dict)
    # How long a payment link stays open, in minutes (30–1440, default a day).
    link_minutes: int = 1440

    @classmethod
    def of(cls, policy: dict[str, Any]) -> Deposits:
        """A stored policy: the old keys (one amount a head from ``min_party``, from
        ``busy_min_party`` on busy nights) or tiers of ``{"min_party", "pence"}``."""
        if "tiers" in policy:
            tiers = tuple((t["min_party"], t["pence"]) for t in policy["tiers"])
            busy = tuple((t["min_party"], t["pence"]) for t in policy.get("busy_tiers", ()))
        else:
            each = policy.get("per_head_pence", 1000)
            tiers = ((policy.get("min_party", 8), each),)
            busy = ((policy.get("busy_min_party", 6), each),)
        return cls(
            tiers=tiers,
            busy_days=frozenset(policy.get("busy_weekdays", (4, 5))),
            busy_tiers=busy,
            vip_exempt=policy.get("vip_exempt", True),
            version=policy.get("version", 1),
            packages={
                p["id"]: (
                    p["pence"],
                    p.get("per_head", True),
                    p.get("min_party", 1),
                    p.get("max_party", 100),
                )
                for p in policy.get("packages", ())
            },
            link_minutes=policy.get("link_minutes", 1440),
        )

    def package_pence(self, package_id: str, party: int) -> int | None:
        """What the package costs this party; None: not sold, or not to a party this size."""
        found = self.packages.get(package_id)
        if found is None or not found[2] <= party <= found[3]:
            return None
        pence, per_head, _, _ = found
        return pence * party if per_head else pence

    def pence(self, party: int, day: date, vip: bool, source: str) -> int:
        if source == "walk_in" or (vip and self.vip_exempt):
            return 0
        tiers = self.busy_tiers if day.weekday() in self.busy_days else self.tiers
        reached = [(least, pence) for least, pence in tiers if party >= least]
        return party * max(reached)[1] if reached else 0


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    tz: ZoneInfo
    day_boundary: time
    # Weekday of the service day (Monday 0) to (opens, closes); closes ≤ opens: after midnight.
    hours: dict[int, tuple[time, time]]
    deposits: Deposits

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Venue:
        s = row["settings"]
        policy = s.get("deposit_policy") or {}
        return cls(
            id=str(row["id"]),
            name=row["name"],
            tz=ZoneInfo(s.get("timezone", row.get("timezone") or "Europe/London")),
            day_boundary=_clock(s.get("day_boundary", "06:00")),
            hours={
                int(day): (_clock(h["opens"]), _clock(h["closes"]))
                for day, h in (s.get("opening_hours") or {}).items()
            },
            deposits=Deposits.of(policy),
        )

    def service_day(self, instant: datetime) -> date:
        """Before the day boundary (06:00) an instant belongs to the evening before."""
        local = instant.astimezone(self.tz)
        before_boundary = local.time() < self.day_boundary
        return local.date() - timedelta(days=1) if before_boundary else local.date()

    def _wall(self, day: date, wall: time, next_day: bool) -> datetime:
        calendar = day + timedelta(days=1) if next_day else day
        return datetime.combine(calendar, wall, tzinfo=self.tz).astimezone(UTC)

    def open_for(self, start: datetime, minutes: int) -> bool:
        """The stay lies within the opening hours of its start's service day."""
        day = self.service_day(start)
        if day.weekday() not in self.hours:
            return False
        opens, closes = self.hours[day.weekday()]
        begin = self._wall(day, opens, False)
        end = self._wall(day, closes, closes <= opens)
        return begin <= start and start + timedelta(minutes=minutes) <= end

    def signature(self, staff_name: str, device_time: datetime) -> str:
        """How merged free text is signed: who, and "dd Mon HH:MM" of the intent's
        device time in the venue's zone."""
        local = device_time.astimezone(self.tz)
        return f"{staff_name}, {local.day:02d} {MONTHS[local.month - 1]} {local:%H:%M}"


@dataclass
class Plan:
    """The floor as bookings are judged by: every table (retired ones too, they still
    exist), active combinations, active areas."""

    tables: dict[str, dict[str, Any]]
    combinations: dict[str, dict[str, Any]]
    areas: dict[str, dict[str, Any]]
    _joins: dict[frozenset[str], dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._joins = {
            frozenset(str(t) for t in c["table_ids"]): c
            for c in self.combinations.values()
            if c["active"]
        }

    def unknown(self, table_ids: list[str]) -> list[str]:
        return [t for t in table_ids if t not in self.tables]

    def combined(self, table_ids: tuple[str, ...]) -> bool:
        return frozenset(table_ids) in self._joins

    def largest_party(self) -> int:
        sizes = [t["max_covers"] for t in self.tables.values() if t["active"]]
        sizes += [
            c["max_party"]
            for ids, c in self._joins.items()
            if all(self.tables[t]["active"] for t in ids if t in self.tables)
        ]
        return max(sizes, default=0)

    def seats(self, table_ids: tuple[str, ...], party: int) -> bool:
        """A single active table whose covers include the party, or active tables that
        are one of the venue's combinations whose party range includes it."""
        if not table_ids:
            return False
        tables = [self.tables[t] for t in table_ids]
        if not all(t["active"] for t in tables):
            return False
        if len(tables) == 1:
            return tables[0]["min_covers"] <= party <= tables[0]["max_covers"]
        join = self._joins.get(frozenset(table_ids))
        return join is not None and join["min_party"] <= party <= join["max_party"]
