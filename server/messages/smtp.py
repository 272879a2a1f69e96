"""Email over SMTP (smtplib, email.message): STARTTLS, implicit TLS or plain.

SMTP has no idempotency key. What it has is the Message-ID, which we derive from
the outbox's key so that a message sent again after a crash is recognisably the
same message (docs/messages.md, "Exactly once").
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Literal

from server.messages.ports import Email, SendFailed, Sent

Security = Literal["starttls", "ssl", "plain"]


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: Security = "starttls"
    username: str | None = None
    password: str | None = None
    sender: str = "The Backroom <bookings@backroom.invalid>"
    ca_file: str | None = None
    timeout: float = 20.0

    @property
    def domain(self) -> str:
        address = parseaddr(self.sender)[1]
        return address.rpartition("@")[2] or "backroom.invalid"


def build(email: Email, config: SmtpConfig) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.sender
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = email.message_id
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    return msg


class SmtpChannel:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context(cafile=c.ca_file)
        if c.security == "ssl":
            return smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        if c.security == "starttls":
            smtp.starttls(context=context)
        return smtp

    def send_email(self, email: Email) -> Sent:
        try:
            smtp = self._connect()
            try:
                if self.config.username:
                    smtp.login(self.config.username, self.config.password or "")
                smtp.send_message(build(email, self.config))
                # Accepted (250): the sender records it now. QUIT is sent but its answer not
                # awaited: a kill while waiting for it would send the mail again.
                with contextlib.suppress(OSError, smtplib.SMTPException):
                    smtp.send("QUIT\r\n")
            finally:
                smtp.close()
        except smtplib.SMTPRecipientsRefused as e:
            code, why = next(iter(e.recipients.values()))
            raise SendFailed(_said(code, why), retryable=400 <= code < 500, code=str(code)) from e
        except smtplib.SMTPResponseException as e:
            code = e.smtp_code
            raise SendFailed(
                _said(code, e.smtp_error), retryable=400 <= code < 500, code=str(code)
            ) from e
        except smtplib.SMTPNotSupportedError as e:
            raise SendFailed(f"the mail server refused: {e}", retryable=False) from e
        except ssl.SSLCertVerificationError as e:
            raise SendFailed(
                f"the mail server's certificate is not trusted: {e}", retryable=False
            ) from e
        except (smtplib.SMTPException, OSError) as e:
            raise SendFailed(f"the mail server could not be reached: {e}", retryable=True) from e
        return Sent(provider_id=email.message_id, status="sent")


def _said(code: int, why: bytes | str) -> str:
    text = why.decode(errors="replace") if isinstance(why, bytes) else why
    return f"the mail server said {code} {text}"
