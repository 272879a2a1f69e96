"""The desk's device token, kept in the operating system's keyring.

No token is ever written to the database file or a config file. A machine with
no keyring gets a clear message and the desk keeps working offline.
"""

from __future__ import annotations

import contextlib
import sys

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from app.sync.client import NotSignedIn, SyncProblem

SERVICE = "backroom-desk"

NO_KEYRING = (
    "This computer has no secure password store (keyring), so the desk cannot keep "
    "its sign-in to the server. Ask whoever looks after the computer to set one up; "
    "until then the desk works offline and keeps every change."
)
# Where the token lives, and how to get a store where there is none (docs/operations.md).
HOW_TO_GET_ONE = {
    "win32": "On Windows the Credential Manager is built in: sign in to Windows as a "
    "normal user (not a service account) and try again.",
    "darwin": "On macOS the token goes in the login Keychain: sign in to the Mac as the "
    "desk's user, open Keychain Access and make sure the login keychain is unlocked.",
    "linux": "On Linux the token goes in the Secret Service: install and unlock GNOME "
    "Keyring (package gnome-keyring) or KWallet in the desktop session the desk runs in.",
}


def no_keyring_message(platform: str = sys.platform) -> str:
    how = HOW_TO_GET_ONE.get("linux" if platform.startswith("linux") else platform, "")
    return f"{NO_KEYRING} {how}".strip()


class NoKeyring(SyncProblem):
    def __init__(self) -> None:
        super().__init__(no_keyring_message())


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

    def check_usable(self) -> None:
        """Write, read back and delete a throwaway entry: the store works, or NoKeyring."""
        probe = DeviceCredentials(f"{self.device_id}-probe", self.service)
        probe.save("probe")
        try:
            if probe.token() != "probe":
                raise SyncProblem("The password store did not keep what was saved in it.")
        finally:
            probe.forget()

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
