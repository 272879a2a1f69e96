"""The desk's device token, kept in the operating system's keyring.

No token is ever written to the database file or a config file. A machine with
no keyring gets a clear message and the desk keeps working offline.
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from app.sync.client import NotSignedIn, SyncProblem

SERVICE = "backroom-desk"

NO_KEYRING = (
    "This computer has no secure password store (keyring), so the desk cannot keep "
    "its sign-in to the server. Ask whoever looks after the computer to set one up; "
    "until then the desk works offline and keeps every change."
)


class NoKeyring(SyncProblem):
    def __init__(self) -> None:
        super().__init__(NO_KEYRING)


class DeviceCredentials:
    """Reads and writes one desk's token; the keyring entry is named by the desk's id."""

    def __init__(self, device_id: str, service: str = SERVICE) -> None:
        self.device_id = device_id
        self.service = service

    def save(self, token: str) -> None:
        try:
            keyring.set_password(self.service, self.device_id, token)
        except NoKeyringError:
            raise NoKeyring() from None
        except KeyringError as error:
            raise SyncProblem(f"The password store refused the desk's token: {error}") from None

    def token(self) -> str:
        try:
            token = keyring.get_password(self.service, self.device_id)
        except NoKeyringError:
            raise NoKeyring() from None
        except KeyringError as error:
            raise SyncProblem(f"The password store could not be read: {error}") from None
        if not token:
            raise NotSignedIn(
                "This desk is not connected to a server yet. A manager can connect it "
                "with their sign-in; the desk works offline meanwhile."
            )
        return token

    def forget(self) -> None:
        with contextlib.suppress(PasswordDeleteError, NoKeyringError):
            keyring.delete_password(self.service, self.device_id)
