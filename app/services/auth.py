"""Signing staff in at the desk, which must work with the internet down.

PINs are hashed with scrypt from the standard library (memory-hard, no extra
dependency on the desk); the server keeps its own argon2id password hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.models.uow import Store

N, R, P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P)
    parts = [
        "scrypt",
        str(N),
        str(R),
        str(P),
        base64.b64encode(salt).decode(),
        base64.b64encode(digest).decode(),
    ]
    return "$".join(parts)


def check_pin(pin: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


class SignInFailed(DomainError):
    pass


class StaffAuth:
    def __init__(self, store: Store) -> None:
        self.store = store

    def sign_in(self, username: str, pin: str) -> Staff:
        with self.store.read() as reader:
            found = reader.staff.by_username(username.strip().lower())
        if found is None or found[1] is None or not check_pin(pin, found[1]):
            raise SignInFailed("That name and PIN do not match a member of staff.")
        return found[0]

    def staff(self) -> list[Staff]:
        with self.store.read() as reader:
            return reader.staff.all()

    def server_id(self, staff_id: str) -> str | None:
        """Who the server knows this member of staff as; None until sync has met them."""
        with self.store.read() as reader:
            return reader.staff.server_id(staff_id)
