"""The waitlist priority score (0–1000), with the components that explain it.

Components, each documented so staff can be told why a guest is ahead:

* loyalty — 10 per past booking the guest honoured (completed);
* waiting — 1 per minute on the waitlist, at most 240 (four hours), so a guest
  who has waited keeps climbing and nobody waits forever behind newer regulars;
* occasion — +100 for a special occasion (birthday, anniversary, …);
* VIP — +150 for guests flagged VIP by a manager;
* no-shows — −50 per past no-show, at most −200.

The total is clamped to 0–1000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.customer import Customer
from app.domain.limits import MAX_PRIORITY

LOYALTY_PER_BOOKING = 10
WAITING_PER_MINUTE = 1
WAITING_CAP = 240
OCCASION_BONUS = 100
VIP_BONUS = 150
NO_SHOW_PENALTY = 50
NO_SHOW_CAP = 200


@dataclass(frozen=True, slots=True)
class PriorityScore:
    total: int
    components: tuple[tuple[str, int], ...]

    def explain(self) -> str:
        """``loyalty 40 + waiting 35 + birthday 100`` for a tooltip."""
        parts = [f"{name} {points}" for name, points in self.components if points > 0]
        minus = [f"{name} {-points}" for name, points in self.components if points < 0]
        text = " + ".join(parts) or "0"
        if minus:
            text += "".join(f" − {m}" for m in minus)
        if sum(p for _, p in self.components) > MAX_PRIORITY:
            text += f" (capped at {MAX_PRIORITY})"
        return text


def priority(
    customer: Customer,
    occasion: str,
    waitlisted_at: datetime | None,
    now: datetime,
) -> PriorityScore:
    loyalty = LOYALTY_PER_BOOKING * customer.completed_count
    minutes = 0
    if waitlisted_at is not None:
        minutes = max(0, int((now - waitlisted_at).total_seconds() // 60))
    waiting = min(WAITING_CAP, WAITING_PER_MINUTE * minutes)
    components: list[tuple[str, int]] = [("loyalty", loyalty), ("waiting", waiting)]
    if occasion.strip():
        components.append((occasion.strip().lower(), OCCASION_BONUS))
    if customer.vip:
        components.append(("VIP", VIP_BONUS))
    if customer.no_shows:
        components.append(("no-shows", -min(NO_SHOW_CAP, NO_SHOW_PENALTY * customer.no_shows)))
    total = max(0, min(MAX_PRIORITY, sum(points for _, points in components)))
    return PriorityScore(total, tuple(components))
