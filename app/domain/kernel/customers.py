"""What an intent does to a guest's record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from app.domain.consent import Channel, changed, merged
from app.domain.customer import Customer
from app.domain.kernel.concurrent import merge_text


def tidy_name(name: str) -> str:
    return " ".join(name.split())


def booked_customer(existing: Customer | None, given: Customer) -> Customer:
    """The guest a new booking is for: added if new; a known guest keeps their record,
    gaining only an email address they did not have and the consent answers given with
    the booking (the latest per channel wins)."""
    if existing is None:
        return replace(given, name=tidy_name(given.name), consent=merged((), given.consent))
    email = existing.email or given.email
    consent = merged(existing.consent, given.consent)
    if (email, consent) == (existing.email, existing.consent):
        return existing
    return replace(existing, email=email, consent=consent)


def upserted_customer(
    existing: Customer | None,
    given: Customer,
    *,
    seen_notes: object = None,
    signature: str = "",
) -> Customer:
    """A guest's details as staff saved them; notes written over a version the desk did
    not see are merged, signed (``seen_notes`` is what it saw, when it was out of date)."""
    notes = given.notes
    if existing is not None:
        notes = merge_text(existing.notes, seen_notes, given.notes, signature)
    kept = existing or given
    return replace(
        given,
        name=tidy_name(given.name),
        notes=notes,
        # Consent is a history, not a field to overwrite: a desk that had not seen another
        # desk's newer answer must not undo it (app.domain.consent.merged).
        consent=merged(existing.consent if existing is not None else (), given.consent),
        bookings_count=kept.bookings_count,
        completed_count=kept.completed_count,
        no_shows=kept.no_shows,
        cancellations=kept.cancellations,
    )


def answered(c: Customer, wanted: Mapping[Channel, bool] | None, at: datetime, by: str) -> Customer:
    """The guest after staff ticked or unticked the marketing boxes (``wanted``, None: the
    boxes were not shown): a record, in today's wording, for each answer that changed."""
    if not wanted:
        return c
    made = changed(c.consent, wanted, at, by)
    return replace(c, consent=merged(c.consent, made)) if made else c
