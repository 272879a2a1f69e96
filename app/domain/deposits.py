"""Which bookings need a deposit, and how much, in integer pence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.booking import Source


@dataclass(frozen=True, slots=True)
class DepositPolicy:
    """Parties of ``min_party`` or more pay per head; on busy nights from ``busy_min_party``."""

    per_head_pence: int = 1000
    min_party: int = 8
    # Weekdays of the service day (Friday = 4, Saturday = 5).
    busy_weekdays: frozenset[int] = frozenset({4, 5})
    busy_min_party: int = 6
    vip_exempt: bool = True
    # How long a payment link stays open, from when the server makes it (Stripe's
    # Checkout allows 30 min–24 h: app.domain.deposit_links).
    link_minutes: int = 24 * 60
    # Minutes after a payment link's deadline before its unpaid booking gives up its
    # tables (app.domain.kernel.deposit_expiry); 0: at the deadline.
    expiry_grace_minutes: int = 0

    def amount(self, party_size: int, service_day: date, vip: bool, source: Source) -> int:
        """Deposit due in pence; 0 when none is needed.

        A walk-in is standing at the desk, so there is nothing to secure.
        """
        if source is Source.WALK_IN or (vip and self.vip_exempt):
            return 0
        busy = service_day.weekday() in self.busy_weekdays
        if party_size >= (self.busy_min_party if busy else self.min_party):
            return party_size * self.per_head_pence
        return 0


def format_pence(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"
