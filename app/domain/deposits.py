"""Which bookings need a deposit, and how much, in integer pence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.booking import Source


@dataclass(frozen=True, slots=True)
class DepositPolicy:
    """Parties of ``min_party`` or more, or any party on a busy night, pay per head."""

    per_head_pence: int = 1000
    min_party: int = 7
    # Weekdays of the service day (Friday = 4, Saturday = 5).
    busy_weekdays: frozenset[int] = frozenset({4, 5})
    vip_exempt: bool = True

    def amount(self, party_size: int, service_day: date, vip: bool, source: Source) -> int:
        """Deposit due in pence; 0 when none is needed.

        A walk-in is standing at the desk, so there is nothing to secure.
        """
        if source is Source.WALK_IN or (vip and self.vip_exempt):
            return 0
        if party_size >= self.min_party or service_day.weekday() in self.busy_weekdays:
            return party_size * self.per_head_pence
        return 0


def format_pence(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"
