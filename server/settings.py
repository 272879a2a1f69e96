"""The server's settings, read once from BACKROOM_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.protocol import PROTOCOL_VERSION, SCHEMA_VERSION

SENDER_PLACEHOLDER = "The Backroom <bookings@backroom.invalid>"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKROOM_", extra="ignore")

    database_url: str = Field(
        description="SQLAlchemy URL of the central PostgreSQL database, "
        "e.g. postgresql+psycopg://backroom:secret@127.0.0.1/backroom"
    )
    pool_size: int = Field(10, ge=1, le=200)
    staff_token_minutes: int = Field(12 * 60, ge=1, description="A staff sign-in lasts a shift.")
    device_token_days: int = Field(365, ge=1)
    hold_seconds: int = Field(120, ge=5, le=3600)
    # Wrong passwords for one name from one address before that address is
    # locked out of that name; from one address for any names; for one name
    # from anywhere (a short lock, so no one attacker keeps its owner out long).
    login_max_failures: int = Field(5, ge=1)
    login_max_failures_per_client: int = Field(20, ge=1)
    login_max_failures_per_name: int = Field(50, ge=1)
    login_lock_minutes: int = Field(15, ge=1)
    login_name_lock_minutes: int = Field(5, ge=1)
    # Guest messages (docs/messages.md). No SMTP host: no email; no SMS account: no SMS;
    # neither: messages are only logged.
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    # starttls (port 587), ssl (implicit TLS, port 465) or plain (a local relay only).
    smtp_security: Literal["starttls", "ssl", "plain"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    # Must be set with an SMTP host: the placeholder's domain cannot be mailed from.
    smtp_from: str = SENDER_PLACEHOLDER
    # A CA file to trust besides the system's (a relay with a private certificate).
    smtp_ca_file: str | None = None
    smtp_timeout_seconds: float = Field(20.0, gt=0)
    sms_account_sid: str | None = None
    sms_auth_token: SecretStr | None = None
    sms_from_number: str | None = None
    # Another address for the SMS provider's API (the test fake); unset: Twilio itself.
    sms_api_base: str = "https://api.twilio.com"
    sms_timeout_seconds: float = Field(20.0, gt=0)
    # The outbox's sender in a thread of each server instance (server/messages/running.py).
    # ``backroom-server serve`` makes it "on" unless this is set; off, run
    # ``python -m server.messages.worker`` instead.
    messages_worker: Literal["on", "off"] = "off"
    # The window of desk schema versions this server accepts (older ones are
    # upgraded; below it a desk gets 426 and keeps its outbox).
    min_schema_version: int = Field(1, ge=1)
    max_schema_version: int = SCHEMA_VERSION
    protocol_version: int = PROTOCOL_VERSION
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024)
    sse_keepalive_seconds: float = Field(15.0, gt=0)
    # Payments (docs/payments.md). No key: the server takes no payments, and says so.
    stripe_api_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    # Another address for Stripe's API (the test fakes); unset: Stripe itself.
    stripe_api_base: str | None = None
    # Where this server is reached from the internet: a guest's browser returns here
    # after paying (``/v1/payments/done``).
    public_url: str = "http://127.0.0.1:8000"
    # How old a webhook's signature may be (Stripe's default tolerance).
    stripe_webhook_tolerance_seconds: int = Field(300, ge=1, le=3600)
    # How often the server asks Stripe about every link not final (a lost webhook, a
    # deadline passed with no word from Stripe): server/payments/timer.py. 0: never (run
    # ``backroom-server payments reconcile`` from cron instead). Off without Stripe.
    payments_reconcile_seconds: float = Field(120, ge=0, le=24 * 3600)

    @model_validator(mode="after")
    def _sender_named(self) -> Settings:
        if self.smtp_host and self.smtp_from == SENDER_PLACEHOLDER:
            raise ValueError(
                "BACKROOM_SMTP_FROM: name the venue's sender, like 'The Snug "
                "<bookings@thesnug.co.uk>', when BACKROOM_SMTP_HOST is set (guests' mail "
                "from the placeholder backroom.invalid would be refused or lost)"
            )
        return self

    @property
    def payments_on(self) -> bool:
        """A Stripe key is configured (an empty one counts as none)."""
        key = self.stripe_api_key
        return key is not None and bool(key.get_secret_value().strip())


@lru_cache
def settings_from_env() -> Settings:
    return Settings()  # type: ignore[call-arg]
