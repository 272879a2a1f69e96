"""Which bookings need a deposit, how much in integer pence, and how it is taken.

A venue's deposit policy is data (``DepositPolicy``, stored on the server and pulled
by every desk: docs/payments.md, "Deposit policy"). Each stored policy has a version;
a booking keeps the version it was priced under (``Booking.deposit_policy_version``),
so a policy changed later changes no booking already priced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, Source
from app.domain.deposit_modes import DepositMode, guarantee_mode
from app.domain.errors import InvalidInput
from app.domain.limits import MAX_PARTY
from app.domain.money import format_pence as format_pence
from app.domain.packages import Package, check_packages

# A bound no bar's deposit comes near, so a mistyped amount is refused, not charged.
MAX_DEPOSIT_PENCE = 1_000_000
MAX_FREE_CANCELLATION_HOURS = 14 * 24
# Stripe's Checkout Sessions expire 30 minutes to 24 hours after creation
# (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at).
MIN_LINK_MINUTES = 30
MAX_LINK_MINUTES = 24 * 60
DEFAULT_LINK_MINUTES = MAX_LINK_MINUTES


class Basis(StrEnum):
    """What a tier's amount is counted per."""

    PER_HEAD = "per_head"
    PER_BOOKING = "per_booking"


class Collection(StrEnum):
    """How the venue secures a booking: money now, or a card guarantee charged on a no-show."""

    DEPOSIT_NOW = "deposit_now"
    GUARANTEE = "guarantee"


@dataclass(frozen=True, slots=True)
class Tier:
    """Parties of ``min_party`` or more (up to the next tier) pay ``pence``."""

    min_party: int
    pence: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A booking's deposit as priced: the amount and the policy version that set it."""

    pence: int
    version: int


@dataclass(frozen=True, slots=True)
class DepositPolicy:
    """A venue's deposit policy, one version of it.

    ``busy_tiers`` apply on the ``busy_weekdays`` (weekdays of the *service day*:
    Friday = 4, Saturday = 5; a booking at 00:30 on Sunday belongs to Saturday night),
    ``tiers`` on every other night; an empty list asks nothing on those nights. The
    defaults are the policy every venue had before policies were versioned: parties of
    8+ pay £10 a head, 6+ on Friday and Saturday nights.
    """

    tiers: tuple[Tier, ...] = (Tier(8, 1000),)
    busy_weekdays: frozenset[int] = frozenset({4, 5})
    busy_tiers: tuple[Tier, ...] = (Tier(6, 1000),)
    basis: Basis = Basis.PER_HEAD
    vip_exempt: bool = True
    walk_in_exempt: bool = True
    # A guest who cancels at least this long before the start is refunded in full.
    free_cancellation_hours: int = 48
    collection: Collection = Collection.DEPOSIT_NOW
    # How long a payment link stays open, from when the server makes it (Stripe's
    # Checkout allows 30 min–24 h: app.domain.deposit_links).
    link_minutes: int = DEFAULT_LINK_MINUTES
    version: int = 1
    # Not part of what the policy asks: where a new version came from, for people.
    note: str = field(default="", compare=False)
    # Minutes after a payment link's deadline before its unpaid booking gives up its
    # tables (app.domain.kernel.deposit_expiry); 0: at the deadline.
    expiry_grace_minutes: int = 0
    # The packages the venue sells with a table (app.domain.packages): the policy is the
    # venue's price list for a booking, so a booking's version names its package's terms.
    packages: tuple[Package, ...] = ()

    def __post_init__(self) -> None:
        check_policy(self)

    def tiers_on(self, service_day: date) -> tuple[Tier, ...]:
        return self.busy_tiers if service_day.weekday() in self.busy_weekdays else self.tiers

    def same_terms(self, other: DepositPolicy) -> bool:
        """Whether two policies ask the same of every booking (their versions aside)."""
        return replace(self, version=other.version) == other


def price(
    policy: DepositPolicy, *, party_size: int, service_day: date, vip: bool, source: Source
) -> Quote:
    """The one rule for a booking's deposit: pence due (0 when none) and the policy version.

    Every booking is priced through this, on the desk and on the server
    (``app.domain.kernel.priced``), and so is every amount a form shows before booking.
    """
    exempt = (source is Source.WALK_IN and policy.walk_in_exempt) or (vip and policy.vip_exempt)
    tier = None if exempt else _tier_for(policy.tiers_on(service_day), party_size)
    if tier is None:
        return Quote(0, policy.version)
    per = party_size if policy.basis is Basis.PER_HEAD else 1
    return Quote(tier.pence * per, policy.version)


def _tier_for(tiers: tuple[Tier, ...], party_size: int) -> Tier | None:
    found = None
    for tier in tiers:
        if party_size >= tier.min_party:
            found = tier
    return found


def mode_for(policy: DepositPolicy, start: datetime, now: datetime) -> DepositMode:
    """How a deposit asked for at ``now`` for a booking at ``start`` is taken.

    Deposit now: a payment. Guarantee: a card hold while the start is at most 6 days of
    elapsed time away, else the card saved for an off-session charge on a no-show
    (app.domain.deposit_modes.guarantee_mode). The lead is elapsed time, so a clock
    change in between moves nothing.
    """
    if policy.collection is Collection.DEPOSIT_NOW:
        return DepositMode.PAYMENT
    return guarantee_mode(start, now)


def free_cancellation_until(policy: DepositPolicy, start: datetime) -> datetime:
    """The last instant a guest may cancel and be refunded in full (in UTC: elapsed hours
    before the start, whatever the clocks do in between)."""
    return start.astimezone(UTC) - timedelta(hours=policy.free_cancellation_hours)


def cancelled_in_free_window(policy: DepositPolicy, start: datetime, at: datetime) -> bool:
    """A cancellation at ``at`` (up to and including the deadline) is free."""
    return at.astimezone(UTC) <= free_cancellation_until(policy, start)


def cancelled_late(policy: DepositPolicy, b: Booking, cancelled_at: datetime | None) -> bool:
    """The one rule for a late cancellation: ``b`` is cancelled, at ``cancelled_at``, after
    the free-cancellation window of ``policy`` (the version ``b`` was priced under:
    ``PolicyVersions.of``). The review counts it, and a manager may claim its hold."""
    return (
        b.status is BookingStatus.CANCELLED
        and cancelled_at is not None
        and not cancelled_in_free_window(policy, b.start, cancelled_at)
    )


@dataclass(frozen=True, slots=True)
class PolicyVersions:
    """The venue's policy versions a desk holds, to judge a booking by the version it was
    priced under (``Booking.deposit_policy_version``), not the one in force now."""

    current: DepositPolicy
    known: Mapping[int, DepositPolicy] = field(default_factory=dict)

    def of(self, version: int) -> DepositPolicy:
        """Version ``version``. 0 (priced before versions) is version 1: the stored policy
        became version 1 unchanged. One this desk has not pulled: the one it prices by."""
        version = max(version, 1)
        if version == self.current.version:
            return self.current
        return self.known.get(version, self.current)


def check_policy(policy: DepositPolicy) -> None:
    """A policy a venue may store; else a sentence saying what to put right."""
    _check_tiers("tiers", policy.tiers)
    _check_tiers("busy_tiers", policy.busy_tiers)
    if not all(_is_int(d) and 0 <= d <= 6 for d in policy.busy_weekdays):
        raise InvalidInput("busy_weekdays", "Busy nights are weekdays 0 (Monday) to 6 (Sunday).")
    if not _is_int(policy.free_cancellation_hours) or not (
        0 <= policy.free_cancellation_hours <= MAX_FREE_CANCELLATION_HOURS
    ):
        raise InvalidInput(
            "free_cancellation_hours",
            "The free cancellation window is a whole number of hours from 0 to "
            f"{MAX_FREE_CANCELLATION_HOURS} (two weeks).",
        )
    check_link_minutes(policy.link_minutes)
    check_grace_minutes(policy.expiry_grace_minutes)
    check_packages(policy.packages)
    if not _is_int(policy.version) or policy.version < 1:
        raise InvalidInput("version", "A policy's version is a whole number from 1.")


def _check_tiers(name: str, tiers: tuple[Tier, ...]) -> None:
    earlier = 0
    for tier in tiers:
        if not _is_int(tier.min_party) or not 1 <= tier.min_party <= MAX_PARTY:
            raise InvalidInput(
                name, f"A tier starts at a party size from 1 to {MAX_PARTY}, not {tier.min_party}."
            )
        if not _is_int(tier.pence) or not 0 < tier.pence <= MAX_DEPOSIT_PENCE:
            raise InvalidInput(
                name,
                f"A tier's amount is a whole number of pence from 1 to {MAX_DEPOSIT_PENCE} "
                f"(£{MAX_DEPOSIT_PENCE // 100:,}), not {tier.pence!r}.",
            )
        if tier.min_party <= earlier:
            raise InvalidInput(
                name,
                f"Tiers go up by party size and do not overlap: the tier from {tier.min_party} "
                f"comes after the one from {earlier}.",
            )
        earlier = tier.min_party


# A grace period longer than a day would outlive most bookings it could release.
MAX_GRACE_MINUTES = 24 * 60


def check_grace_minutes(minutes: object) -> int:
    """A venue's grace period after a link's deadline, 0–24 h in whole minutes; else why not."""
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise InvalidInput("expiry_grace_minutes", "A grace period is a whole number of minutes.")
    if not 0 <= minutes <= MAX_GRACE_MINUTES:
        raise InvalidInput(
            "expiry_grace_minutes",
            f"A grace period after a payment link's deadline is 0 minutes to 24 hours, "
            f"not {minutes} minutes.",
        )
    return minutes


def check_link_minutes(minutes: object) -> int:
    """A venue's link lifetime in whole minutes, 30 min–24 h; else why not."""
    if not _is_int(minutes):
        raise InvalidInput("link_minutes", "A link's lifetime is a whole number of minutes.")
    assert isinstance(minutes, int)
    if not MIN_LINK_MINUTES <= minutes <= MAX_LINK_MINUTES:
        raise InvalidInput(
            "link_minutes",
            f"A payment link stays open between {MIN_LINK_MINUTES} minutes and 24 hours, "
            f"not {minutes} minutes.",
        )
    return minutes


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
