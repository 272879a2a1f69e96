"""Intents: what staff meant, sent from a desk's outbox to the server's judges.

An intent says what staff meant, not which columns changed, so the server can
judge it against the truth; what each one does to a row is written once, in
``app.domain.kernel``, and ``app.protocol.meaning`` maps each intent onto it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import Field, model_validator

from app.domain.booking import BookingStatus, Source
from app.domain.conflicts import Resolution
from app.domain.limits import MAX_TABLE_NUMBER
from app.domain.permissions import Role
from app.protocol.base import (
    Coordinate,
    FencingToken,
    Instant,
    Minutes,
    PackageChoice,
    PackageId,
    PartySize,
    Pence,
    PinHash,
    Priority,
    Seq,
    ShortText,
    Size,
    StaffName,
    Strict,
    TableIds,
    Text,
    Turn,
    Username,
    Version,
)
from app.protocol.consent import ConsentData
from app.protocol.deposit_args import (
    ClaimDepositArgs,
    GiveBackDepositArgs,
    RecordDepositPaymentArgs,
    RefundDepositArgs,
    RequestDepositArgs,
    ResendDepositLinkArgs,
    SignedPence,
    WaiveDepositArgs,
)
from app.protocol.message_args import ResendMessageArgs, SendSmsArgs
from app.protocol.upgrade import upgrade


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
    UPDATE_STAFF = "update_staff"
    SETTLE_REFUSAL = "settle_refusal"
    UNDO_CANCEL = "undo_cancel"
    RECORD_DEPOSIT_PAYMENT = "record_deposit_payment"
    WAIVE_DEPOSIT = "waive_deposit"
    GIVE_BACK_DEPOSIT = "give_back_deposit"
    REQUEST_DEPOSIT = "request_deposit"
    RESEND_DEPOSIT_LINK = "resend_deposit_link"
    CLAIM_DEPOSIT = "claim_deposit"
    REFUND_DEPOSIT = "refund_deposit"
    SEND_SMS = "send_sms"
    RESEND_MESSAGE = "resend_message"
    ERASE_GUEST = "erase_guest"
    RECORD_SPEND = "record_spend"
    SET_DEPOSIT_POLICY = "set_deposit_policy"


class CustomerData(Strict):
    id: UUID
    name: ShortText
    # Empty for a walk-in who gave no number.
    phone: Annotated[str, Field(pattern=r"^(\+[1-9]\d{6,14})?$")]
    email: ShortText | None = None
    vip: bool = False
    tags: list[ShortText] = Field(default_factory=list)
    notes: Text = ""
    # Marketing consent: the latest record per channel the desk knows, its own new ones
    # among them; the server keeps every record it is sent (latest per channel wins).
    consent: Annotated[list[ConsentData], Field(max_length=8)] = Field(default_factory=list)


class CreateBookingArgs(Strict):
    """A new booking as staff asked for it. The server works out whether its tables are
    a combination and what deposit the venue's policy asks (app.domain.kernel.create)."""

    reference: Annotated[str, Field(pattern=r"^[0-9A-HJKMNP-TV-Z]{11}$")]
    customer: CustomerData
    party_size: PartySize
    start: Instant
    duration_minutes: Minutes
    table_ids: TableIds = Field(default_factory=list)
    # Confirmed stays pending while the venue's policy asks a deposit of the booking.
    status: BookingStatus
    special_requests: Text = ""
    occasion: ShortText = ""
    notes: Text = ""
    priority_score: Priority = 0
    source: Source = Source.PHONE
    waitlisted_at: Instant | None = None
    # The fencing token of the hold the desk took on these tables, if online.
    fencing_token: FencingToken | None = None
    # A manager recorded a booking whose time had passed (written up after an outage).
    recorded_past: bool = False
    # The package pre-ordered, priced by the judge from the venue's list (new in this
    # version: sent only when there is one, so an older server still takes the rest).
    package_id: PackageId | None = None


class MoveBookingArgs(Strict):
    table_ids: TableIds
    start: Instant
    duration_minutes: Minutes
    fencing_token: FencingToken | None = None


class EditDetailsArgs(Strict):
    """Only the fields present changed; notes merge on a stale edit."""

    party_size: PartySize | None = None
    special_requests: Text | None = None
    occasion: ShortText | None = None
    notes: Text | None = None
    priority_score: Priority | None = None
    # The package ("" takes it off), priced by the judge from the venue's list.
    package_id: PackageChoice | None = None


class SetStatusArgs(Strict):
    status: BookingStatus
    # Promoting from the waitlist or seating elsewhere also assigns tables.
    table_ids: TableIds | None = None
    # When a party that is completed left: before its booked end, its table frees early.
    left_at: Instant | None = None

    @model_validator(mode="after")
    def _left_only_when_completed(self) -> Self:
        if self.left_at is not None and self.status is not BookingStatus.COMPLETED:
            raise ValueError("left_at is only for a booking being completed")
        return self


class CancelArgs(Strict):
    reason: ShortText = ""


class RecordSpendArgs(Strict):
    """What a seated or departed party spent, from the till (app.domain.spend)."""

    spend_pence: SignedPence


class SetDepositPolicyArgs(Strict):
    """A manager's next version of the venue's deposits and packages
    (app.domain.policy_change): ``terms`` as a policy file has them
    (app.domain.deposit_policy_data), ``policy_version`` one above the version in force
    that they changed. The intent's entity is the new version's row."""

    policy_version: Annotated[int, Field(ge=2, le=2**31 - 1)]
    terms: dict[str, object]


class SettleRefusalArgs(Strict):
    """The desk that made a refused change has dealt with it (the intent's entity is the
    refused intent's mutation id), so the other desks stop showing it."""

    how: Literal["retried", "amended", "discarded", "acknowledged"]


class EraseGuestArgs(Strict):
    """Forget a guest at their request, on a desk with no server (docs/data-protection.md).

    The desk erased them in its own file first, its unsent changes included, so nothing
    of theirs is ever sent; this tells the server which records and bookings were the
    guest's, and which of the desk's audit events were scrubbed (each keeps the hash it
    was sealed with, so the server takes their contents on the erasure's word).
    """

    guest_ids: Annotated[list[UUID], Field(min_length=1, max_length=50)]
    booking_ids: Annotated[list[UUID], Field(max_length=5000)]
    redacted: Annotated[list[UUID], Field(max_length=100_000)]


class UndoCancelArgs(Strict):
    """Take back a cancel just made: the booking as it was before it (app.domain.kernel.undo).

    ``cancel_id`` is the mutation id of the cancel undone; the undo applies only while the
    booking is as that cancel left it.
    """

    cancel_id: UUID
    status: BookingStatus
    table_ids: TableIds = Field(default_factory=list)


class Move(Strict):
    booking_id: UUID
    base_version: Version
    table_ids: TableIds


class RearrangeArgs(Strict):
    """Several bookings change tables at once: applied in one transaction."""

    moves: list[Move] = Field(min_length=1, max_length=200)


class ResolveConflictArgs(Strict):
    conflict_id: UUID
    resolution: Resolution
    table_ids: TableIds | None = None
    start: Instant | None = None
    note: Text = ""


class UpdateTableArgs(Strict):
    number: Annotated[int, Field(ge=1, le=MAX_TABLE_NUMBER)]
    name: ShortText = ""
    area_id: UUID
    min_covers: PartySize
    max_covers: PartySize
    shape: ShortText = "square"
    x: Coordinate
    y: Coordinate
    width: Size
    height: Size
    rotation: Turn = 0.0
    booth: bool = False
    vip: bool = False
    active: bool = True
    # Absent from an older desk's intents: they left the table's minimum spend as it was.
    min_spend_pence: Pence | None = None


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


class UpdateStaffArgs(Strict):
    """Add, change, deactivate (``active`` false) a member of staff, or set their desk PIN.

    ``pin_hash`` is present only when the PIN is set or reset: the desk PIN's scrypt
    hash, so that the person can sign in on every desk of the venue while offline.
    """

    username: Username
    name: StaffName
    role: Role
    active: bool = True
    pin_hash: PinHash | None = None


class AuditEventData(Strict):
    """One link of the desk's audit chain, written with the intent (app.domain.audit)."""

    id: UUID
    device_id: UUID
    seq: Seq
    at: Instant
    staff_id: UUID
    staff_name: ShortText
    action: ShortText
    entity: ShortText
    entity_id: UUID
    before: dict[str, object] | None
    after: dict[str, object] | None
    prev_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    # Scrubbed by a guest's erasure before it was sent: its contents no longer hash to
    # ``hash``; the intent ``erase_guest`` that follows it lists it.
    redacted: bool = False


class MutationBase(Strict):
    mutation_id: UUID
    device_id: UUID
    device_seq: Seq
    entity_id: UUID
    base_version: Version
    # What the desk saw of the fields the intent writes (its staleness is judged by them).
    previous: dict[str, object] = Field(default_factory=dict)
    staff_id: UUID
    # Shown to staff, never deciding anything; but a time no booking could have is a bug.
    device_time: Instant
    protocol_version: int
    schema_version: int
    # The audit events the desk wrote in the same local transaction.
    audit: list[AuditEventData] = Field(default=[], max_length=400)

    @model_validator(mode="before")
    @classmethod
    def _upgraded(cls, data: Any) -> Any:
        return upgrade(data)


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


class UndoCancel(MutationBase):
    name: Literal[IntentName.UNDO_CANCEL]
    args: UndoCancelArgs


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


class UpdateStaff(MutationBase):
    name: Literal[IntentName.UPDATE_STAFF]
    args: UpdateStaffArgs


class SetDepositPolicy(MutationBase):
    name: Literal[IntentName.SET_DEPOSIT_POLICY]
    args: SetDepositPolicyArgs


class SettleRefusal(MutationBase):
    name: Literal[IntentName.SETTLE_REFUSAL]
    args: SettleRefusalArgs


class RecordDepositPayment(MutationBase):
    name: Literal[IntentName.RECORD_DEPOSIT_PAYMENT]
    args: RecordDepositPaymentArgs


class WaiveDeposit(MutationBase):
    name: Literal[IntentName.WAIVE_DEPOSIT]
    args: WaiveDepositArgs


class GiveBackDeposit(MutationBase):
    name: Literal[IntentName.GIVE_BACK_DEPOSIT]
    args: GiveBackDepositArgs


class RequestDeposit(MutationBase):
    name: Literal[IntentName.REQUEST_DEPOSIT]
    args: RequestDepositArgs


class ResendDepositLink(MutationBase):
    name: Literal[IntentName.RESEND_DEPOSIT_LINK]
    args: ResendDepositLinkArgs


class ClaimDeposit(MutationBase):
    name: Literal[IntentName.CLAIM_DEPOSIT]
    args: ClaimDepositArgs


class RefundDeposit(MutationBase):
    name: Literal[IntentName.REFUND_DEPOSIT]
    args: RefundDepositArgs


class SendSms(MutationBase):
    name: Literal[IntentName.SEND_SMS]
    args: SendSmsArgs


class ResendMessage(MutationBase):
    name: Literal[IntentName.RESEND_MESSAGE]
    args: ResendMessageArgs


class EraseGuest(MutationBase):
    name: Literal[IntentName.ERASE_GUEST]
    args: EraseGuestArgs


class RecordSpend(MutationBase):
    name: Literal[IntentName.RECORD_SPEND]
    args: RecordSpendArgs


AnyMutation = (
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
    | UpdateCombination
    | UpdateStaff
    | SettleRefusal
    | UndoCancel
    | RecordDepositPayment
    | WaiveDeposit
    | RequestDeposit
    | ResendDepositLink
    | ClaimDeposit
    | RefundDeposit
    | GiveBackDeposit
    | SendSms
    | ResendMessage
    | EraseGuest
    | RecordSpend
    | SetDepositPolicy
)
Mutation = Annotated[AnyMutation, Field(discriminator="name")]
BookingIntent = (
    MoveBooking | EditDetails | SetStatus | Cancel | UndoCancel | ResolveConflict | RecordSpend
)
DepositIntent = (
    RecordDepositPayment
    | WaiveDeposit
    | RequestDeposit
    | ResendDepositLink
    | ClaimDeposit
    | RefundDeposit
    | GiveBackDeposit
)
FloorIntent = UpdateTable | UpdateArea | UpdateCombination
# Intents that queue a guest message on the server and change no row a desk shows.
MessageIntent = SendSms | ResendMessage

# Each intent's arguments model, by name (a refused intent is kept by its name and args).
ARGS: dict[IntentName, type[Strict]] = {
    IntentName.CREATE_BOOKING: CreateBookingArgs,
    IntentName.MOVE_BOOKING: MoveBookingArgs,
    IntentName.EDIT_DETAILS: EditDetailsArgs,
    IntentName.SET_STATUS: SetStatusArgs,
    IntentName.CANCEL: CancelArgs,
    IntentName.REARRANGE: RearrangeArgs,
    IntentName.RESOLVE_CONFLICT: ResolveConflictArgs,
    IntentName.UPSERT_CUSTOMER: CustomerData,
    IntentName.UPDATE_TABLE: UpdateTableArgs,
    IntentName.UPDATE_AREA: UpdateAreaArgs,
    IntentName.UPDATE_COMBINATION: UpdateCombinationArgs,
    IntentName.UPDATE_STAFF: UpdateStaffArgs,
    IntentName.SETTLE_REFUSAL: SettleRefusalArgs,
    IntentName.UNDO_CANCEL: UndoCancelArgs,
    IntentName.RECORD_DEPOSIT_PAYMENT: RecordDepositPaymentArgs,
    IntentName.WAIVE_DEPOSIT: WaiveDepositArgs,
    IntentName.REQUEST_DEPOSIT: RequestDepositArgs,
    IntentName.RESEND_DEPOSIT_LINK: ResendDepositLinkArgs,
    IntentName.CLAIM_DEPOSIT: ClaimDepositArgs,
    IntentName.REFUND_DEPOSIT: RefundDepositArgs,
    IntentName.GIVE_BACK_DEPOSIT: GiveBackDepositArgs,
    IntentName.SEND_SMS: SendSmsArgs,
    IntentName.RESEND_MESSAGE: ResendMessageArgs,
    IntentName.ERASE_GUEST: EraseGuestArgs,
    IntentName.RECORD_SPEND: RecordSpendArgs,
    IntentName.SET_DEPOSIT_POLICY: SetDepositPolicyArgs,
}
