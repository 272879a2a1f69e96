"""A deposit policy as stored data (the venue's settings, a synced policy row, an admin's
file), read back unchanged, and in words for people.

Stored policies from before versions and tiers (``per_head_pence``, ``min_party``,
``busy_min_party``) are read as the same policy: each booking they priced is priced
the same (docs/payments.md, "Deposit policy").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.deposits import (
    Basis,
    Collection,
    DepositPolicy,
    Tier,
    check_grace_minutes,
    check_link_minutes,
    format_pence,
)
from app.domain.errors import InvalidInput
from app.domain.packages import Package

DEFAULTS = DepositPolicy()
KEYS = frozenset(
    {
        "version",
        "basis",
        "tiers",
        "busy_weekdays",
        "busy_tiers",
        "vip_exempt",
        "walk_in_exempt",
        "free_cancellation_hours",
        "collection",
        "link_minutes",
        "expiry_grace_minutes",
        "packages",
        "note",
    }
)
OLD_KEYS = frozenset({"per_head_pence", "min_party", "busy_min_party"})
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def deposit_policy_from_dict(data: Mapping[str, Any], *, strict: bool = False) -> DepositPolicy:
    """The policy ``data`` describes; a missing key takes the policy every venue had.

    ``strict`` (an admin's file): a key this version does not know is refused, so a
    typo is never silently ignored. Anything unusable raises ``InvalidInput``.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput("deposit_policy", "A deposit policy is a JSON object.")
    unknown = sorted(set(data) - KEYS - OLD_KEYS)
    if strict and unknown:
        raise InvalidInput(
            "deposit_policy",
            f"Unknown in a deposit policy: {', '.join(unknown)} "
            f"(it takes {', '.join(sorted(KEYS))}).",
        )
    tiers, busy_tiers = _tiers(data)
    try:
        return DepositPolicy(
            tiers=tiers,
            busy_weekdays=frozenset(_list(data, "busy_weekdays", DEFAULTS.busy_weekdays)),
            busy_tiers=busy_tiers,
            basis=_choice(data, "basis", Basis, DEFAULTS.basis),
            vip_exempt=_flag(data, "vip_exempt", DEFAULTS.vip_exempt),
            walk_in_exempt=_flag(data, "walk_in_exempt", DEFAULTS.walk_in_exempt),
            free_cancellation_hours=data.get(
                "free_cancellation_hours", DEFAULTS.free_cancellation_hours
            ),
            collection=_choice(data, "collection", Collection, DEFAULTS.collection),
            link_minutes=check_link_minutes(data.get("link_minutes", DEFAULTS.link_minutes)),
            expiry_grace_minutes=check_grace_minutes(
                data.get("expiry_grace_minutes", DEFAULTS.expiry_grace_minutes)
            ),
            version=data.get("version", 1),
            note=str(data.get("note", "")),
            packages=_packages(data),
        )
    except TypeError as error:
        raise InvalidInput(
            "deposit_policy", f"This deposit policy is not usable: {error}."
        ) from None


def _tiers(data: Mapping[str, Any]) -> tuple[tuple[Tier, ...], tuple[Tier, ...]]:
    if "tiers" not in data and "per_head_pence" in data:
        # Before tiers: one amount a head, from min_party (busy_min_party on busy nights).
        pence = data["per_head_pence"]
        if pence == 0:
            return (), ()
        least = data.get("min_party", 1)
        return (Tier(least, pence),), (Tier(data.get("busy_min_party", least), pence),)
    tiers = _tier_list(data, "tiers", DEFAULTS.tiers)
    return tiers, _tier_list(data, "busy_tiers", tiers if "tiers" in data else DEFAULTS.busy_tiers)


def _tier_list(data: Mapping[str, Any], name: str, default: tuple[Tier, ...]) -> tuple[Tier, ...]:
    if name not in data:
        return default
    out = []
    for item in _list(data, name, ()):
        if not isinstance(item, Mapping) or set(item) != {"min_party", "pence"}:
            raise InvalidInput(
                name, 'Each tier is {"min_party": a party size, "pence": an amount in pence}.'
            )
        out.append(Tier(item["min_party"], item["pence"]))
    return tuple(out)


_PACKAGE_KEYS = frozenset({"id", "name", "pence", "per_head", "min_party", "max_party", "includes"})


def _packages(data: Mapping[str, Any]) -> tuple[Package, ...]:
    out = []
    for item in _list(data, "packages", ()):
        if not isinstance(item, Mapping) or not {"id", "name", "pence"} <= set(item):
            raise InvalidInput(
                "packages",
                'Each package is {"id": "prosecco", "name": "Prosecco package", "pence": 3000, '
                "…} (also per_head, min_party, max_party, includes).",
            )
        unknown = sorted(set(item) - _PACKAGE_KEYS)
        if unknown:
            raise InvalidInput(
                "packages",
                f"Unknown in a package: {', '.join(unknown)} "
                f"(it takes {', '.join(sorted(_PACKAGE_KEYS))}).",
            )
        if not all(_is_whole(item.get(k, 1)) for k in ("pence", "min_party", "max_party")):
            raise InvalidInput("packages", "A package's pence and party sizes are whole numbers.")
        if not all(isinstance(item.get(k, ""), str) for k in ("id", "name", "includes")):
            raise InvalidInput("packages", "A package's id, name and includes are text.")
        out.append(Package(**{**item, "per_head": _flag(item, "per_head", True)}))
    return tuple(out)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _list(data: Mapping[str, Any], name: str, default: Any) -> list[Any]:
    value = data.get(name, default)
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise InvalidInput(name, f"{name} is a list.")
    return list(value)


def _flag(data: Mapping[str, Any], name: str, default: bool) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput(name, f"{name} is true or false.")
    return value


def _choice(data: Mapping[str, Any], name: str, kind: Any, default: Any) -> Any:
    value = data.get(name, default)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(k.value) for k in kind)
        raise InvalidInput(name, f"{name} is one of {allowed}, not {value!r}.") from None


def deposit_policy_to_dict(policy: DepositPolicy) -> dict[str, Any]:
    """Every term of the policy and its version: what ``deposit_policy_from_dict`` reads back."""
    out: dict[str, Any] = {
        "version": policy.version,
        "basis": policy.basis.value,
        "tiers": [_tier(t) for t in policy.tiers],
        "busy_weekdays": sorted(policy.busy_weekdays),
        "busy_tiers": [_tier(t) for t in policy.busy_tiers],
        "vip_exempt": policy.vip_exempt,
        "walk_in_exempt": policy.walk_in_exempt,
        "free_cancellation_hours": policy.free_cancellation_hours,
        "collection": policy.collection.value,
        "link_minutes": policy.link_minutes,
        "expiry_grace_minutes": policy.expiry_grace_minutes,
    }
    if policy.packages:
        out["packages"] = [_package(p) for p in policy.packages]
    if policy.note:
        out["note"] = policy.note
    return out


def _package(p: Package) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "pence": p.pence,
        "per_head": p.per_head,
        "min_party": p.min_party,
        "max_party": p.max_party,
        "includes": p.includes,
    }


def _tier(t: Tier) -> dict[str, int]:
    return {"min_party": t.min_party, "pence": t.pence}


def policy_words(policy: DepositPolicy) -> list[str]:
    """The policy as lines a manager reads (``backroom deposits policy``, the server's CLI)."""
    per = "a head" if policy.basis is Basis.PER_HEAD else "a booking"
    busy = ", ".join(WEEKDAY_NAMES[d] for d in sorted(policy.busy_weekdays))
    lines = [
        f"Deposit policy version {policy.version}" + (f" ({policy.note})" if policy.note else "")
    ]
    if busy and policy.busy_tiers != policy.tiers:
        lines.append(f"{busy} nights: {_tiers_words(policy.busy_tiers, per)}")
        lines.append(f"Other nights: {_tiers_words(policy.tiers, per)}")
    else:
        lines.append(f"Every night: {_tiers_words(policy.tiers, per)}")
    exempt = [
        who
        for who, yes in (("VIP guests", policy.vip_exempt), ("walk-ins", policy.walk_in_exempt))
        if yes
    ]
    lines.append(f"No deposit from: {' and '.join(exempt)}" if exempt else "No one is exempt")
    if policy.collection is Collection.DEPOSIT_NOW:
        lines.append("Taken: as a payment when the booking is made (deposit now)")
    else:
        lines.append(
            "Taken: as a card guarantee (a hold on the card up to 6 days ahead, "
            "the card saved beyond), charged only on a no-show"
        )
    lines.append(
        f"Free cancellation: up to {policy.free_cancellation_hours} hours before the start"
    )
    lines.append(f"A payment link stays open {_minutes(policy.link_minutes)}")
    lines.extend(f"Package {p.words()} [id {p.id}]" for p in policy.packages)
    return lines


def _tiers_words(tiers: tuple[Tier, ...], per: str) -> str:
    if not tiers:
        return "no deposit"
    parts = []
    for tier, after in zip(tiers, (*tiers[1:], None), strict=True):
        size = (
            f"parties of {tier.min_party}+"
            if after is None
            else f"parties of {tier.min_party}–{after.min_party - 1}"
            if after.min_party - 1 > tier.min_party
            else f"parties of {tier.min_party}"
        )
        parts.append(f"{size} pay {format_pence(tier.pence)} {per}")
    return "; ".join(parts)


def _minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"
