"""A keyring backend in one JSON file, for demos on a machine with no keyring of its own.

``scripts/payments-demo`` starts its desk with ``PYTHON_KEYRING_BACKEND`` naming this class
and ``BACKROOM_DEMO_KEYRING`` naming a file in its throwaway folder, so the demo desk's
token is shared by ``backroom connect`` and the window (two processes) and is removed with
the rest of the demo; the computer's own keyring is never touched. Not for real desks: the
token sits in a plain file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

PATH_VARIABLE = "BACKROOM_DEMO_KEYRING"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ[PATH_VARIABLE])

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text()))
        except FileNotFoundError:
            return {}

    def _write(self, secrets: dict[str, str]) -> None:
        self.path.write_text(json.dumps(secrets))
        self.path.chmod(0o600)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write({**self._read(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._read()
        if secrets.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._write(secrets)
