"""Signing staff in at the desk, which must work with the internet down.

PINs are hashed with scrypt from the standard library (memory-hard, no extra
dependency on the desk); the server keeps its own argon2id password hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from app.domain.errors import DomainError, InvalidInput
from app.domain.permissions import Staff
from app.domain.staff import check_new_pin
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

    def change_pin(self, staff: Staff, current: str, new: str, again: str) -> str:
        """Staff change their own PIN on this desk (PINs live on each desk, never sent)."""
        with self.store.read() as reader:
            stored = reader.staff.pin_hash(staff.id)
        if stored is None or not check_pin(current, stored):
            raise InvalidInput("current", "That is not your current PIN; nothing was changed.")
        check_new_pin(new, again)
        if new == current:
            raise InvalidInput("pin", "Choose a PIN different from the one you have now.")
        with self.store.unit_of_work() as uow:
            uow.staff.set_pin_hash(staff.id, hash_pin(new))
            uow.commit()
        return f"{staff.name}'s PIN was changed on this desk."

    def staff(self) -> list[Staff]:
        with self.store.read() as reader:
            return reader.staff.all()

    def server_id(self, staff_id: str) -> str | None:
        """Who the server knows this member of staff as; None until sync has met them."""
        with self.store.read() as reader:
            return reader.staff.server_id(staff_id)
