"""Rows as the server holds them and every desk mirrors them, sent by pull."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from app.domain.booking import BookingStatus, DepositState, Source
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerKind, PaymentMethod
from app.domain.deposit_links import RequestStatus
from app.domain.deposit_modes import DepositMode
from app.domain.permissions import Role
from app.protocol.base import Strict, Version
from app.protocol.consent import ConsentData


class EntityKind(StrEnum):
    BOOKING = "booking"
    CUSTOMER = "customer"
    TABLE = "table"
    AREA = "area"
    COMBINATION = "combination"
    STAFF = "staff"
    REFUSAL = "refusal"
    LEDGER = "deposit_ledger"
    DEPOSIT_REQUEST = "deposit_request"
    DEPOSIT_POLICY = "deposit_policy"
    MESSAGE = "message"
    MESSAGE_REPLY = "message_reply"


class Change(Strict):
    """One row as it is now; ``data`` is the matching ``*Row`` model's JSON."""

    entity: EntityKind
    id: UUID
    version: Version
    data: dict[str, object]

    def row(self) -> SyncedRow:
        return ROW_MODELS[self.entity].model_validate(self.data)


class Row(BaseModel):
    """A synced row; unknown fields are ignored so a newer server stays readable."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    id: UUID
    venue_id: UUID
    version: Version
    updated_at: AwareDatetime


class BookingRow(Row):
    reference: str
    customer_id: UUID
    party_size: int
    start: AwareDatetime
    duration_minutes: int
    status: BookingStatus
    created_at: AwareDatetime
    table_ids: list[UUID]
    combined: bool
    special_requests: str
    occasion: str
    notes: str
    priority_score: int
    deposit_state: DepositState
    deposit_pence: int
    source: Source
    waitlisted_at: AwareDatetime | None
    # Absent from an older server's rows: priced before policies had versions.
    deposit_policy_version: int = 0
    # Absent from an older server's rows: no spend was recorded then.
    spend_pence: int | None = None
    # Absent from an older server's rows: no package was sold then.
    package_id: str | None = None
    package_pence: int = 0


class CustomerRow(Row):
    name: str
    phone: str
    email: str | None
    vip: bool
    tags: list[str]
    notes: str
    # Absent from an older server's rows: no consent was recorded then.
    consent: list[ConsentData] = Field(default_factory=list)
    # When the guest was forgotten at their request (docs/data-protection.md).
    erased_at: AwareDatetime | None = None


class AreaRow(Row):
    name: str
    vip: bool
    # Absent from an older server's rows: every area was in use then.
    active: bool = True


class TableRow(Row):
    number: int
    name: str
    area_id: UUID
    min_covers: int
    max_covers: int
    shape: str
    x: float
    y: float
    width: float
    height: float
    rotation: float
    booth: bool
    vip: bool
    active: bool
    min_spend_pence: int


class CombinationRow(Row):
    name: str
    table_ids: list[UUID]
    min_party: int
    max_party: int
    strategy: str
    active: bool = True


class StaffRow(Row):
    """Who may appear as an intent's staff member. The server's password hash never
    leaves it; the desk PIN's scrypt hash does, to the venue's own desks, so the person
    signs in on each of them offline (docs/architecture.md, "Staff and PINs")."""

    username: str
    name: str
    role: Role
    active: bool
    pin_hash: str | None = None


class RefusalRow(Row):
    """A change the server refused, shown on every desk of the venue until the desk that
    made it settles it (``settled``: retried, amended, discarded or acknowledged there).
    ``id`` is the refused intent's mutation id; ``args`` what it asked."""

    device_id: UUID
    device_name: str
    device_seq: int
    name: str
    entity_id: UUID
    staff_id: UUID
    args: dict[str, object]
    reason: str
    refused_at: AwareDatetime
    settled: str | None = None


class LedgerRow(Row):
    """One movement of deposit money (or a waiver), written only by the server's judges.
    ``id`` is the ledger entry id the desk chose, so its own unsent copy is replaced."""

    booking_id: UUID
    kind: LedgerKind
    amount_pence: int
    currency: str
    method: PaymentMethod | None = None
    note: str = ""
    staff_id: UUID
    staff_name: str
    device_id: UUID | None = None
    recorded_at: AwareDatetime
    # The payment provider's id (Stripe), for the kinds it makes.
    provider_ref: str | None = None


class DepositRequestRow(Row):
    """A payment link asked for a booking's deposit (app.domain.deposit_links); ``id`` is
    the mutation id of the ``request_deposit`` intent. ``url`` and ``expires_at`` arrive
    once the server has made the link; ``problem`` says what went wrong, if anything."""

    booking_id: UUID
    amount_pence: int
    currency: str
    status: RequestStatus
    url: str | None = None
    expires_at: AwareDatetime | None = None
    requested_by: str = ""
    requested_at: AwareDatetime
    problem: str | None = None
    # A link for the guest, or a manager's claim or refund; what a link asks of the card.
    kind: ActionKind = ActionKind.LINK
    mode: DepositMode = DepositMode.PAYMENT
    reason: str | None = None
    # The card a hold or saved card is on, and when a hold lapses if not captured.
    card_last4: str | None = None
    capture_before: AwareDatetime | None = None

    # When the link's expiry released the booking's tables (the server cancelled it).
    released_at: AwareDatetime | None = None


class DepositPolicyRow(Row):
    """One version of the venue's deposit policy (app.domain.deposits), as the server's
    admin set it; ``terms`` is what ``deposit_policy_from_dict`` reads. The desk prices
    with the newest version it has pulled."""

    policy_version: int
    terms: dict[str, object]
    set_by: str
    set_at: AwareDatetime


class MessageRow(Row):
    """One guest message the server queued (docs/messages.md, "On the desk"): what it was,
    how it went, never its words or the full address (``to`` is masked by
    app.domain.messages.staff.masked). ``template`` is a TemplateName or StaffTemplate
    value; ``status`` one of the outbox's."""

    booking_id: UUID | None = None
    channel: str
    template: str
    to: str
    status: str
    attempts: int = 0
    last_error: str | None = None
    created_at: AwareDatetime
    due_at: AwareDatetime
    sent_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = None


class MessageReplyRow(Row):
    """A guest's SMS to the venue: the words (staff read them), what the reply parser made
    of it (app.domain.messages.replies.Action) and why; ``sender`` is masked."""

    booking_id: UUID | None = None
    sender: str
    body: str
    action: str
    why: str
    received_at: AwareDatetime


SyncedRow = (
    BookingRow
    | CustomerRow
    | AreaRow
    | TableRow
    | CombinationRow
    | StaffRow
    | RefusalRow
    | LedgerRow
    | DepositRequestRow
    | DepositPolicyRow
    | MessageRow
    | MessageReplyRow
)
ROW_MODELS: dict[EntityKind, type[SyncedRow]] = {
    EntityKind.BOOKING: BookingRow,
    EntityKind.CUSTOMER: CustomerRow,
    EntityKind.AREA: AreaRow,
    EntityKind.TABLE: TableRow,
    EntityKind.COMBINATION: CombinationRow,
    EntityKind.STAFF: StaffRow,
    EntityKind.REFUSAL: RefusalRow,
    EntityKind.LEDGER: LedgerRow,
    EntityKind.DEPOSIT_REQUEST: DepositRequestRow,
    EntityKind.DEPOSIT_POLICY: DepositPolicyRow,
    EntityKind.MESSAGE: MessageRow,
    EntityKind.MESSAGE_REPLY: MessageReplyRow,
}
