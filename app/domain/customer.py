"""Guests, with phone numbers in E.164 and a history the waitlist can reward."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from app.domain.consent import ConsentRecord
from app.domain.errors import InvalidInput
from app.domain.text import tidy

DEFAULT_REGION = "GB"


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    phone: str
    email: str | None = None
    vip: bool = False
    tags: tuple[str, ...] = ()
    notes: str = ""
    # Marketing consent: the latest record per channel (app.domain.consent).
    consent: tuple[ConsentRecord, ...] = ()
    bookings_count: int = 0
    completed_count: int = 0
    no_shows: int = 0
    cancellations: int = 0


def normalise_name(raw: str) -> str:
    """Spaces tidied; control characters and bidi controls taken out (app.domain.text)."""
    name = tidy(raw)
    if not name:
        raise InvalidInput("name", "Enter the guest's name.")
    if len(name) > 120:
        raise InvalidInput("name", "A name longer than 120 characters cannot be right.")
    return name


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Any way staff type a number (07700 900123, +44 7700 900123) to E.164."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput("phone", f"'{raw}' is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("phone", f"'{raw}' is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidInput("email", f"'{raw}' is not an email address: {error}") from None
