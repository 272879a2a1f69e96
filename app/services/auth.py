"""Signing staff in at the desk, which must work with the internet down.

PINs are checked against their scrypt hash (app/domain/pin_hash.py, the one home
of the hash the desk and the server both make).
"""

from __future__ import annotations

from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.pin_hash import check_pin
from app.models.uow import Store


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
