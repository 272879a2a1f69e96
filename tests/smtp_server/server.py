"""aiosmtpd behind a small recorder: plain, STARTTLS (required) or implicit TLS, optional AUTH.

Each accepted message is kept as raw bytes with its envelope; ``parsed`` reads it back
as a guest's mail program would (email.parser, the default policy). ``refuse_next``
makes the next DATA answer with an error, as a relay under load (451) or one that
knows the address is wrong (550) would.
"""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.stripe_fake.processes import free_port

USERNAME, PASSWORD = "backroom", "relay-password"


@dataclass
class Delivery:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def parsed(self) -> EmailMessage:
        # Lines as a mail program shows them, not as SMTP carried them (CRLF).
        raw = self.raw.replace(b"\r\n", b"\n")
        return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Recorder:
    deliveries: list[Delivery] = field(default_factory=list)
    refusals: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refusals:
                return self.refusals.popleft()
            self.deliveries.append(
                Delivery(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        return "250 Message accepted for delivery"

    def refuse_next(self, reply: str, times: int = 1) -> None:
        with self.lock:
            self.refusals.extend([reply] * times)

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [d.parsed for d in self.deliveries]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login.decode() == USERNAME
        and data.password.decode() == PASSWORD
    )
    # handled=False: aiosmtpd answers 535 itself (True means we already answered).
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    host: str
    port: int
    security: str
    recorder: Recorder
    controller: Controller
    ca_file: str | None = None

    def stop(self) -> None:
        self.controller.stop()


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made with the openssl command line."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def start_smtp(
    security: str = "plain", *, cert: tuple[Path, Path] | None = None, auth: bool = False
) -> SmtpServer:
    recorder = Recorder()
    port = free_port()  # aiosmtpd's Controller cannot start on port 0
    options: dict[str, Any] = {}
    if security != "plain":
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        if security == "ssl":
            options["ssl_context"] = context
        else:
            options |= {"tls_context": context, "require_starttls": True}
    if auth:
        # Implicit TLS is not STARTTLS to aiosmtpd, which would then hide AUTH.
        options |= {"authenticator": _authenticate, "auth_require_tls": security == "starttls"}
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return SmtpServer(
        "127.0.0.1", port, security, recorder, controller, str(cert[0]) if cert else None
    )
