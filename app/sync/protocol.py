"""The wire format between a desk and the central server (JSON over HTTPS).

Both sides import this module, so a field renamed here is renamed for both.
An intent (``Mutation``) says what staff meant, not which columns changed, so
the server can judge it against the truth. See docs/sync.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.domain.booking import BookingStatus, DepositState, Source
from app.domain.permissions import Role

PROTOCOL_VERSION = 1
# The local schema version a desk's intents were written under; the server
# accepts a window of these and upgrades older intents.
SCHEMA_VERSION = 1

MAX_PARTY = 100
MAX_BATCH = 500
Text = Annotated[str, Field(max_length=2000)]
ShortText = Annotated[str, Field(max_length=200)]
PartySize = Annotated[int, Field(ge=1, le=MAX_PARTY)]
Minutes = Annotated[int, Field(ge=15, le=12 * 60)]
Pence = Annotated[int, Field(ge=0, le=10_000_000)]
Seq = Annotated[int, Field(ge=1)]
Version = Annotated[int, Field(ge=0)]
FencingToken = Annotated[int, Field(ge=1, le=2**62)]

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(instant: datetime) -> datetime:
    if not EARLIEST <= instant < LATEST:
        raise ValueError("a time before 2000 or after 2099 cannot be a booking's")
    return instant


# An aware instant in a range a venue's booking could be in (a 1970 time is a bug).
Instant = Annotated[AwareDatetime, AfterValidator(_plausible)]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="after")
    def _no_nul_characters(self) -> Self:
        # Neither PostgreSQL text nor jsonb can hold U+0000, and no one types it.
        for name, value in self.__dict__.items():
            if not isinstance(value, BaseModel) and _has_nul(value):
                raise ValueError(f"{name} contains a NUL character")
        return self


class IntentName(StrEnum):
    CREATE_BOOKING = "create_booking"
    MOVE_BOOKING = "move_booking"
    EDIT_DETAILS = "edit_details"
    SET_STATUS = "set_status"
    CANCEL = "cancel"
    REARRANGE = "rearrange"
    RESOLVE_CONFLICT = "resolve_conflict"
    UPSERT_CUSTOMER = "upsert_customer"
    UPDATE_TABLE = "update_table"
    UPDATE_AREA = "update_area"
    UPDATE_COMBINATION = "update_combination"


class CustomerData(Strict):
    id: UUID
    name: ShortText
    # Empty for a walk-in who gave no number.
    phone: Annotated[str, Field(pattern=r"^(\+[1-9]\d{6,14})?$")]
    email: ShortText | None = None
    vip: bool = False
    tags: list[ShortText] = []
    notes: Text = ""
    marketing_consent: bool = False


class CreateBookingArgs(Strict):
    reference: Annotated[str, Field(pattern=r"^[0-9A-HJKMNP-TV-Z]{11}$")]
    customer: CustomerData
    party_size: PartySize
    start: Instant
    duration_minutes: Minutes
    table_ids: list[UUID] = Field(default=[], max_length=8)
    combined: bool = False
    status: BookingStatus
    special_requests: Text = ""
    occasion: ShortText = ""
    notes: Text = ""
    priority_score: Annotated[int, Field(ge=0, le=1000)] = 0
    deposit_state: DepositState = DepositState.NOT_REQUIRED
    deposit_pence: Pence = 0
    source: Source = Source.PHONE
    waitlisted_at: Instant | None = None
    # The fencing token of the hold the desk took on these tables, if online.
    fencing_token: FencingToken | None = None


class MoveBookingArgs(Strict):
    table_ids: list[UUID] = Field(max_length=8)
    combined: bool
    start: Instant
    duration_minutes: Minutes
    fencing_token: FencingToken | None = None


class EditDetailsArgs(Strict):
    """Only the fields present changed; notes merge on a stale edit."""

    party_size: PartySize | None = None
    special_requests: Text | None = None
    occasion: ShortText | None = None
    notes: Text | None = None
    priority_score: Annotated[int, Field(ge=0, le=1000)] | None = None


class SetStatusArgs(Strict):
    status: BookingStatus
    # Promoting from the waitlist or seating elsewhere also assigns tables.
    table_ids: list[UUID] | None = Field(default=None, max_length=8)
    combined: bool | None = None


class CancelArgs(Strict):
    reason: ShortText = ""


class Move(Strict):
    booking_id: UUID
    base_version: Version
    table_ids: list[UUID] = Field(max_length=8)
    combined: bool


class RearrangeArgs(Strict):
    """Several bookings change tables at once: applied in one transaction."""

    moves: list[Move] = Field(min_length=1, max_length=200)


class Resolution(StrEnum):
    MOVE = "move"  # move the conflicting booking to the given tables/time
    KEEP_MINE = "keep_mine"
    KEEP_THEIRS = "keep_theirs"
    WAITLIST = "waitlist"
    CANCEL = "cancel"
    KEEP_BOTH = "keep_both"  # manager's override


class ResolveConflictArgs(Strict):
    conflict_id: UUID
    resolution: Resolution
    table_ids: list[UUID] | None = Field(default=None, max_length=8)
    combined: bool | None = None
    start: Instant | None = None
    note: Text = ""


class UpdateTableArgs(Strict):
    number: Annotated[int, Field(ge=1, le=9999)]
    name: ShortText = ""
    area_id: UUID
    min_covers: PartySize
    max_covers: PartySize
    shape: ShortText = "square"
    x: float
    y: float
    width: Annotated[float, Field(gt=0, le=2000)]
    height: Annotated[float, Field(gt=0, le=2000)]
    rotation: Annotated[float, Field(ge=-360, le=360)] = 0.0
    booth: bool = False
    vip: bool = False
    active: bool = True


# An area's or a combination's name (the desk's column holds 80 characters).
FloorName = Annotated[str, Field(min_length=1, max_length=80)]


class UpdateAreaArgs(Strict):
    """Add, rename, flag VIP or remove (``active`` false) an area; last writer wins."""

    name: FloorName
    vip: bool = False
    active: bool = True


class UpdateCombinationArgs(Strict):
    """Add, change or retire (``active`` false) a combination; last writer wins."""

    name: FloorName
    table_ids: list[UUID] = Field(min_length=2, max_length=8)
    min_party: PartySize
    max_party: PartySize
    strategy: Annotated[str, Field(min_length=1, max_length=40)] = "COMBINED"
    active: bool = True


class AuditEventData(Strict):
    """One link of the desk's audit chain, written with the intent (app.domain.audit)."""

    id: UUID
    device_id: UUID
    seq: Seq
    at: AwareDatetime
    staff_id: UUID
    staff_name: ShortText
    action: ShortText
    entity: ShortText
    entity_id: UUID
    before: dict[str, object] | None
    after: dict[str, object] | None
    prev_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class MutationBase(Strict):
    mutation_id: UUID
    device_id: UUID
    device_seq: Seq
    entity_id: UUID
    base_version: Version
    previous: dict[str, object] = {}
    staff_id: UUID
    device_time: AwareDatetime
    protocol_version: int
    schema_version: int
    # The audit events the desk wrote in the same local transaction.
    audit: list[AuditEventData] = Field(default=[], max_length=400)


class CreateBooking(MutationBase):
    name: Literal[IntentName.CREATE_BOOKING]
    args: CreateBookingArgs


class MoveBooking(MutationBase):
    name: Literal[IntentName.MOVE_BOOKING]
    args: MoveBookingArgs


class EditDetails(MutationBase):
    name: Literal[IntentName.EDIT_DETAILS]
    args: EditDetailsArgs


class SetStatus(MutationBase):
    name: Literal[IntentName.SET_STATUS]
    args: SetStatusArgs


class Cancel(MutationBase):
    name: Literal[IntentName.CANCEL]
    args: CancelArgs


class Rearrange(MutationBase):
    name: Literal[IntentName.REARRANGE]
    args: RearrangeArgs


class ResolveConflict(MutationBase):
    name: Literal[IntentName.RESOLVE_CONFLICT]
    args: ResolveConflictArgs


class UpsertCustomer(MutationBase):
    name: Literal[IntentName.UPSERT_CUSTOMER]
    args: CustomerData


class UpdateTable(MutationBase):
    name: Literal[IntentName.UPDATE_TABLE]
    args: UpdateTableArgs


class UpdateArea(MutationBase):
    name: Literal[IntentName.UPDATE_AREA]
    args: UpdateAreaArgs


class UpdateCombination(MutationBase):
    name: Literal[IntentName.UPDATE_COMBINATION]
    args: UpdateCombinationArgs


Mutation = Annotated[
    CreateBooking
    | MoveBooking
    | EditDetails
    | SetStatus
    | Cancel
    | Rearrange
    | ResolveConflict
    | UpsertCustomer
    | UpdateTable
    | UpdateArea
    | UpdateCombination,
    Field(discriminator="name"),
]


class OutcomeKind(StrEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class Outcome(Strict):
    mutation_id: UUID
    device_seq: Seq
    outcome: OutcomeKind
    reason: str | None = None
    conflict_id: UUID | None = None
    version: Version | None = None


class PushRequest(Strict):
    device_id: UUID
    mutations: list[Mutation] = Field(max_length=MAX_BATCH)


class Refusal(Strict):
    """Why the batch stopped at an intent that was given no outcome."""

    mutation_id: UUID
    device_seq: Seq
    reason: str


class PushResponse(Strict):
    outcomes: list[Outcome]
    # Set when a gap in device_seq stopped the batch: the next seq expected.
    expected_seq: Seq | None = None
    server_version: Version
    # Set when an intent reused a seq or mutation id with a different body.
    refused: Refusal | None = None


class EntityKind(StrEnum):
    BOOKING = "booking"
    CUSTOMER = "customer"
    TABLE = "table"
    AREA = "area"
    COMBINATION = "combination"
    STAFF = "staff"


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

    model_config = ConfigDict(frozen=True)

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


class CustomerRow(Row):
    name: str
    phone: str
    email: str | None
    vip: bool
    tags: list[str]
    notes: str
    marketing_consent: bool


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
    """Who may appear as an intent's staff member (no password hash ever leaves)."""

    username: str
    name: str
    role: Role
    active: bool


SyncedRow = BookingRow | CustomerRow | AreaRow | TableRow | CombinationRow | StaffRow
ROW_MODELS: dict[EntityKind, type[SyncedRow]] = {
    EntityKind.BOOKING: BookingRow,
    EntityKind.CUSTOMER: CustomerRow,
    EntityKind.AREA: AreaRow,
    EntityKind.TABLE: TableRow,
    EntityKind.COMBINATION: CombinationRow,
    EntityKind.STAFF: StaffRow,
}


class ConflictKind(StrEnum):
    OVERLAP = "overlap"
    STALE_EDIT = "stale_edit"
    EDIT_AFTER_CANCEL = "edit_after_cancel"
    ILLEGAL_MOVE = "illegal_move"
    INVALID = "invalid"


class ConflictState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ConflictRecord(Strict):
    id: UUID
    kind: ConflictKind
    state: ConflictState
    booking_id: UUID
    other_booking_id: UUID | None = None
    # Both sides as staff saw them: {"mine": {...}, "theirs": {...}}.
    detail: dict[str, object]
    device_id: UUID
    staff_name: str
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: Resolution | None = None
    allowed: list[Resolution]
    version: Version


class HoldRecord(Strict):
    id: UUID
    venue_id: UUID | None = None
    booking_id: UUID | None = None
    fencing_token: int | None = None
    table_ids: list[UUID]
    start: AwareDatetime
    end: AwareDatetime
    device_id: UUID
    device_name: str
    staff_name: str
    expires_at: AwareDatetime


class ChangesPage(Strict):
    changes: list[Change]
    outcomes: list[Outcome]
    conflicts: list[ConflictRecord]
    holds: list[HoldRecord]
    cursor: Version
    has_more: bool


class HoldRequest(Strict):
    table_ids: list[UUID] = Field(min_length=1, max_length=8)
    start: Instant
    end: Instant
    booking_id: UUID | None = None
    # The staff member at the desk, shown to the other desks.
    staff_id: UUID | None = None


class HoldGranted(Strict):
    id: UUID
    fencing_token: int
    expires_at: AwareDatetime


# --- Signing in and registering a desk --------------------------------------


class LoginRequest(Strict):
    venue_id: UUID
    username: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class StaffInfo(Strict):
    id: UUID
    venue_id: UUID
    username: str
    name: str
    role: Role
    active: bool


class LoginResponse(Strict):
    token: str
    expires_at: AwareDatetime
    staff: StaffInfo


class DeviceRegistration(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    # The desk's own id (it signs its audit chain with it); made here if absent.
    device_id: UUID | None = None


class DeviceToken(Strict):
    device_id: UUID
    venue_id: UUID
    name: str
    token: str
    expires_at: AwareDatetime


class DeviceInfo(Strict):
    id: UUID
    venue_id: UUID
    name: str
    created_at: AwareDatetime
    revoked_at: AwareDatetime | None
    last_seq: int
    last_seen_at: AwareDatetime | None


class NewStaff(Strict):
    username: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9._-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=120)]
    role: Role
    password: Annotated[str, Field(min_length=10, max_length=200)]
