"""Signing staff in at the desk, which must work with the internet down.

PINs are checked against their scrypt hash (app/domain/pin_hash.py, the one home
of the hash the desk and the server both make); wrong ones are counted by
app/domain/pin_tries.py.
"""

from __future__ import annotations

from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.pin_hash import check_pin
from app.domain.pin_tries import PinTries
from app.models.uow import Store
from app.services.common import Clock


class SignInFailed(DomainError):
    pass


class StaffAuth:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store, self.clock = store, clock
        self.tries = PinTries()

    def sign_in(self, username: str, pin: str) -> Staff:
        name = username.strip().lower()
        self.tries.check(name, self.clock())
        with self.store.read() as reader:
            found = reader.staff.by_username(name)
        if found is None or found[1] is None or not check_pin(pin, found[1]):
            self.tries.failed(name, self.clock())
            raise SignInFailed("That name and PIN do not match a member of staff.")
        self.tries.succeeded(name)
        return found[0]

    def staff(self) -> list[Staff]:
        with self.store.read() as reader:
            return reader.staff.all()

    def server_id(self, staff_id: str) -> str | None:
        """Who the server knows this member of staff as; None until sync has met them."""
        with self.store.read() as reader:
            return reader.staff.server_id(staff_id)
