"""A desk PIN's scrypt hash: made at a desk or on the server, checked at a desk.

scrypt from the standard library (memory-hard, no extra dependency); the one
home of the parameters, so a hash the server makes (``backroom-server
create-staff --pin-stdin``) signs in at every desk. The server keeps its own
argon2id password hashes apart from this.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

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
