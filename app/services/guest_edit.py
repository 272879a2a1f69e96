"""Use cases that change a guest's own details: name, phone and email."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from app.domain.consent import Channel
from app.domain.customer import (
    Customer,
    normalise_email,
    normalise_name,
    normalise_phone,
)
from app.domain.errors import InvalidFields, InvalidInput
from app.domain.kernel.customers import answered, upserted_customer
from app.domain.permissions import Staff
from app.models.journal import Change
from app.models.uow import Store
from app.protocol import IntentName, meaning
from app.protocol.codec import customer_data
from app.services.common import Clock, get_customer

_FIELDS = ("name", "phone", "email", "consent")
_WORDS = {"consent": "marketing consent"}


@dataclass(frozen=True, slots=True)
class GuestResult:
    customer: Customer
    # In the words shown to staff: "Updated Ada Lovelace's phone and email."
    message: str
    changed: tuple[str, ...]


class GuestEdits:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def check(
        self,
        customer_id: str,
        *,
        name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
    ) -> None:
        """Refuse bad fields (all at once) without writing: so a dialog saving several
        things can find a typing slip before it saves any of them."""
        with self.store.read() as reader:
            _checked(get_customer(reader, customer_id), name, phone, email)

    def update(
        self,
        staff: Staff,
        customer_id: str,
        *,
        name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        marketing: Mapping[Channel, bool] | None = None,
    ) -> GuestResult:
        """Change what is given (None: leave it); every bad field is named at once.
        ``marketing``: the consent boxes as staff left them (a record per changed answer).

        An email typed blank removes it; a phone typed blank is allowed only for a
        guest who had none (a walk-in), since the desk must be able to reach a booker.
        """
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            before = get_customer(uow, customer_id)
            given = answered(_checked(before, name, phone, email), marketing, now, staff.name)
            changed = tuple(f for f in _FIELDS if _differs(before, given, f))
            if not changed:
                raise InvalidInput("details", "Nothing was changed.")
            args = customer_data(given)
            for action in meaning.required_actions(args, None):
                staff.require(action)
            signature = meaning.signature(rules.venue, staff.name, now)
            after = upserted_customer(before, given, signature=signature)
            uow.customers.save(after, rules.venue.id, now)
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.UPSERT_CUSTOMER,
                entity_id=after.id,
                base_version=uow.customers.version(after.id),
                args=args,
                # What the desk saw, so the server can merge notes written over meanwhile.
                previous={"notes": before.notes},
                changes=[Change("customer", after.id, _snapshot(before), _snapshot(after))],
            )
            uow.commit()
        named = [_WORDS.get(f, f) for f in changed]
        words = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
        return GuestResult(after, f"Updated {after.name}'s {words}.", changed)


def _checked(before: Customer, name: str | None, phone: str | None, email: str | None) -> Customer:
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    if name is not None:
        try:
            values["name"] = normalise_name(name)
        except InvalidInput as error:
            errors[error.field] = str(error)
    if phone is not None:
        try:
            if phone.strip():
                values["phone"] = normalise_phone(phone)
            elif before.phone:
                raise InvalidInput("phone", "Enter a phone number so we can reach the guest.")
            else:
                values["phone"] = ""
        except InvalidInput as error:
            errors[error.field] = str(error)
    if email is not None:
        try:
            values["email"] = normalise_email(email)
        except InvalidInput as error:
            errors[error.field] = str(error)
    if errors:
        raise InvalidFields(errors)
    return replace(before, **values)  # type: ignore[arg-type]


def _differs(before: Customer, after: Customer, field: str) -> bool:
    return getattr(before, field) != getattr(after, field)


def _snapshot(c: Customer) -> dict[str, object]:
    return customer_data(c).model_dump(mode="json")
