"""Stripe's wire format: nested form decoding, ids, error objects and their statuses."""

from __future__ import annotations

import secrets
import string
from typing import Any
from urllib.parse import parse_qsl

# Stripe's statuses by error type (https://docs.stripe.com/api/errors).
STATUS_BY_TYPE = {
    "invalid_request_error": 400,
    "idempotency_error": 400,
    "card_error": 402,
    "api_error": 500,
}
_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str) -> str:
    """An id shaped as Stripe's test-mode ids are: ``pi_`` + 24 characters."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(24))


class StripeError(Exception):
    """An error answered as Stripe's ``{"error": {...}}``.

    ``saved`` says whether an idempotent replay gets it back: Stripe saves the result
    once the endpoint has begun executing, but not a request that failed validation.
    """

    def __init__(
        self,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        status: int | None = None,
        saved: bool = True,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status or STATUS_BY_TYPE[type]
        self.saved = saved
        body: dict[str, Any] = {"type": type, "message": message}
        if code is not None:
            body["code"] = code
        if param is not None:
            body["param"] = param
        body.update(extra)
        self.body = {"error": body}


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    """A request that failed validation: answered 400 and not saved for replays."""
    return StripeError(message, param=param, code=code, saved=False)


def decode_form(raw: bytes | str) -> dict[str, Any]:
    """``line_items[0][price_data][currency]=gbp`` → nested dicts and lists, as Stripe reads it."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        head, _, rest = key.partition("[")
        path = [head] + ([p.rstrip("]") for p in rest.split("[")] if rest else [])
        node = root
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise invalid(f"Invalid value for {key}.", param=head)
        node[path[-1]] = value
    return _listify(root, under_metadata=False)


def _listify(node: Any, *, under_metadata: bool) -> Any:
    if not isinstance(node, dict):
        return node
    children = {
        k: _listify(v, under_metadata=under_metadata or k == "metadata") for k, v in node.items()
    }
    # A metadata key may be a number; anywhere else all-digit keys are a list's indices.
    if not under_metadata and children and all(k.isdigit() for k in children):
        return [children[k] for k in sorted(children, key=int)]
    return children


class Params:
    """A request's decoded parameters, read the way Stripe validates them."""

    def __init__(self, data: dict[str, Any], allowed: set[str]) -> None:
        for name in data:
            if name not in allowed and name != "expand":
                raise invalid(f"Received unknown parameter: {name}", param=name)
        self.data = data

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def str(self, name: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise invalid(
                    f"Missing required param: {name}.", param=name, code="parameter_missing"
                )
            return default
        if not isinstance(value, str):
            raise invalid(f"Invalid string: {value!r}", param=name)
        return value

    def int(self, name: str, *, required: bool = False) -> int | None:
        value = self.str(name, required=required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise invalid(
                f"Invalid integer: {value}", param=name, code="parameter_invalid_integer"
            ) from None

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.str(name)
        if value is None:
            return default
        if value not in ("true", "false"):
            raise invalid(f"Invalid boolean: {value}", param=name)
        return value == "true"

    def choice(self, name: str, options: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.str(name, default=default)
        if value is not None and value not in options:
            raise invalid(f"Invalid {name}: must be one of {', '.join(options)}", param=name)
        return value

    def dict(self, name: str) -> dict[str, Any]:
        value = self.data.get(name) or {}
        if not isinstance(value, dict):
            raise invalid(f"Invalid object: {name}", param=name)
        return value

    def created(self, obj: dict[str, Any]) -> bool:
        """Whether ``obj`` passes a list's ``created`` filter: a Unix time, or a range of
        ``gt``, ``gte``, ``lt`` and ``lte`` (https://docs.stripe.com/api/pagination)."""
        wanted = self.data.get("created")
        if wanted is None:
            return True
        bounds = wanted if isinstance(wanted, dict) else {"eq": wanted}
        tests = {
            "eq": lambda a, b: a == b,
            "gt": lambda a, b: a > b,
            "gte": lambda a, b: a >= b,
            "lt": lambda a, b: a < b,
            "lte": lambda a, b: a <= b,
        }
        for name, value in bounds.items():
            if name not in tests or not str(value).isdigit():
                raise invalid(f"Invalid created[{name}]: {value!r}", param="created")
            if not tests[name](int(obj["created"]), int(value)):
                return False
        return True

    def metadata(self) -> dict[str, str]:
        meta = self.dict("metadata")
        if len(meta) > 50 or any(len(k) > 40 or len(str(v)) > 500 for k, v in meta.items()):
            raise invalid(
                "Metadata is limited to 50 keys of 40 and values of 500 characters.",
                param="metadata",
            )
        return {k: str(v) for k, v in meta.items() if v != ""}
