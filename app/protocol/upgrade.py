"""Intents written under an older schema, brought up to this one before validation.

A desk's outbox keeps what it wrote; the server (and a desk updated with
intents still queued) read older intents through this. Each step says what
changed and why, so the meaning of an old intent is never guessed.
"""

from __future__ import annotations

from typing import Any

# Schema 2: the desk no longer says whether tables are combined (the plan says so)
# nor what deposit is due (the venue's policy, applied by the server, says so).
_DROPPED_IN_2: dict[str, tuple[str, ...]] = {
    "create_booking": ("combined", "deposit_state", "deposit_pence"),
    "move_booking": ("combined",),
    "set_status": ("combined",),
    "resolve_conflict": ("combined",),
}


# Schema 3: a guest's marketing consent is records per channel (``consent``), no longer
# a flag. The flag was never set by any desk (no view offered it), so dropping it loses
# nothing; reading it as consent would invent a yes the guest never gave.
def _without_flag(customer: Any) -> Any:
    if not isinstance(customer, dict):
        return customer
    return {k: v for k, v in customer.items() if k != "marketing_consent"}


def upgrade(data: Any) -> Any:
    """The raw JSON of an intent, as the current schema reads it."""
    if not isinstance(data, dict) or not isinstance(data.get("args"), dict):
        return data
    version = data.get("schema_version")
    if not isinstance(version, int) or version >= 3:
        return data
    args = dict(data["args"])
    if data.get("name") == "upsert_customer":
        args = _without_flag(args)
    if data.get("name") == "create_booking" and "customer" in args:
        args["customer"] = _without_flag(args["customer"])
    if version >= 2:
        return {**data, "args": args}
    for name in _DROPPED_IN_2.get(str(data.get("name")), ()):
        args.pop(name, None)
    if data.get("name") == "rearrange" and isinstance(args.get("moves"), list):
        args["moves"] = [
            {k: v for k, v in move.items() if k != "combined"} if isinstance(move, dict) else move
            for move in args["moves"]
        ]
    return {**data, "args": args}


def upgraded_args(kept: dict[str, Any] | Any) -> Any:
    """The args of an intent kept as ``{"name", "args"}`` (in a conflict), as read today."""
    body = upgrade({"name": kept.get("name"), "schema_version": 1, "args": kept.get("args")})
    return body["args"]
