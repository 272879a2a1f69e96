"""Each intent mapped onto its one meaning in ``app.domain.kernel``.

Three callers, one answer: a desk's use case builds its intent and takes the
booking this module says it leaves; the desk's overlay replays its pending
intents through it after every pull; the server's judges call it after their
database checks. What the server adds is only what needs its database: the
fencing tokens of holds, placement under the exclusion constraint, and the
conflict records. Staleness — whether the desk saw the fields it writes as
they are now — is decided here too, from the intent's ``base_version`` and
``previous``, so a desk predicts the server's answer for its pending intents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from app.domain import kernel
from app.domain.booking import BOOKING_FIELDS, Booking, BookingStatus, field_json
from app.domain.conflicts import ConflictKind, Resolution, resolution_action
from app.domain.customer import Customer
from app.domain.deposit_links import DepositLink, check_resend
from app.domain.deposits import DepositPolicy, PolicyVersions
from app.domain.erasure import erased_booking, erased_customer
from app.domain.errors import DomainError
from app.domain.kernel.customers import booked_customer, upserted_customer
from app.domain.kernel.placement import share_a_table
from app.domain.kernel.resolution import check_allowed, check_not_cancelled
from app.domain.messages.staff import check_custom_sms, check_resendable
from app.domain.permissions import Action, status_action
from app.domain.policy_change import next_policy
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.domain.venue import Venue
from app.protocol import intents as i
from app.protocol.codec import customer_of
from app.protocol.deposit_args import (
    ClaimDepositArgs,
    DepositArgs,
    GiveBackDepositArgs,
    RecordDepositPaymentArgs,
    RefundDepositArgs,
    RequestDepositArgs,
    ResendDepositLinkArgs,
    WaiveDepositArgs,
)
from app.protocol.message_args import ResendMessageArgs, SendSmsArgs
from app.protocol.upgrade import upgraded_args

S = BookingStatus
_MUTATION: TypeAdapter[i.AnyMutation] = TypeAdapter(i.Mutation)


@dataclass(frozen=True, slots=True)
class ConflictFacts:
    """What resolving needs of a conflict: its kind and the detail the server stored."""

    kind: ConflictKind
    detail: Mapping[str, Any]

    @property
    def wanted_status(self) -> object:
        mine = self.detail.get("mine")
        return mine.get("status") if isinstance(mine, Mapping) else None

    @property
    def refused_args(self) -> object | None:
        """The change a stale edit refused, which "keep mine" applies after all."""
        kept = self.detail.get("intent")
        if not isinstance(kept, Mapping) or kept.get("name") not in i.ARGS:
            return None
        return i.ARGS[i.IntentName(kept["name"])].model_validate(upgraded_args(kept))


def refused_intent(m: i.AnyMutation) -> dict[str, Any]:
    """What a conflict keeps of the intent it refused: enough to apply it later."""
    return {"name": m.name, "args": m.args.model_dump(mode="json", exclude_unset=True)}


class UnknownConflict(DomainError):
    """The conflict an intent resolves is not known here (yet)."""


@dataclass(frozen=True, slots=True)
class Judging:
    """What applying an intent needs besides the row it changes."""

    rules: VenueRules
    # The instant stamped on what changes: the server's clock there, the desk's here.
    at: datetime
    # Whether a guest is a VIP (prices deposits); None for a guest not known yet.
    vip_of: Callable[[str], bool | None] = lambda _customer_id: None
    conflict_of: Callable[[str], ConflictFacts | None] = lambda _conflict_id: None
    # The version the cancel with this mutation id made of its booking, as this side
    # knows it (None: not applied); an undo applies only over that version.
    cancel_version_of: Callable[[str], int | None] = lambda _mutation_id: None
    # Who wrote the intent and when, in the venue's time: signs merged free text.
    signature: str = ""
    # What of a booking's deposit Stripe took and has not refunded, from this side's
    # ledger (app.domain.deposit_actions.refundable_pence).
    refundable_of: Callable[[str], int] = lambda _booking_id: 0
    # What of a booking's deposit money the venue holds, taken at the bar or by Stripe,
    # from this side's ledger (app.domain.deposit_ledger.held_pence).
    held_of: Callable[[str], int] = lambda _booking_id: 0
    # The venue's deposit policy versions this side holds, by version (None: only the
    # current one): a booking is judged by the version it was priced under.
    policies_of: Callable[[], Mapping[int, DepositPolicy]] | None = None

    def policy_for(self, b: Booking) -> DepositPolicy:
        """The policy ``b`` was priced under (its free-cancellation window, its claim cap):
        editing the policy changes no existing booking."""
        known = self.policies_of() if self.policies_of is not None else {}
        return PolicyVersions(self.rules.deposits, known).of(b.deposit_policy_version)

    # A booking's latest payment link, where this side knows it (None: it does not).
    link_of: Callable[[str], DepositLink | None] | None = None


# --- which fields an intent writes, and whether the desk saw them as they are ---

BookingArgs = (
    i.MoveBookingArgs
    | i.EditDetailsArgs
    | i.SetStatusArgs
    | i.CancelArgs
    | i.UndoCancelArgs
    | i.RearrangeArgs
    | i.ResolveConflictArgs
    | i.RecordSpendArgs
    | DepositArgs
)


def written_fields(args: object) -> frozenset[str]:
    """The booking fields an intent sets: those its arguments give (a cancel sets status).

    An undo of a cancel writes none that staleness guards: it has its own, stricter rule
    (nothing at all changed since the cancel, app.domain.kernel.undo)."""
    if isinstance(args, i.CancelArgs):
        return frozenset({"status"})
    if not isinstance(
        args, i.MoveBookingArgs | i.EditDetailsArgs | i.SetStatusArgs | i.RecordSpendArgs
    ):
        return frozenset()
    given = {name for name, value in args if value is not None}
    return frozenset(given & set(BOOKING_FIELDS))


def previous_of(before: Booking, args: object) -> dict[str, object]:
    """What the desk saw of the fields its intent writes (sent as the intent's ``previous``)."""
    return {name: field_json(getattr(before, name)) for name in sorted(written_fields(args))}


def check_seen(base_version: int, version: int, what: str) -> None:
    """A desk cannot have seen a version the server has not made yet: its copy of ``what``
    did not come from this server (a desk restored from elsewhere, or a forged intent)."""
    if base_version > version:
        raise DomainError(
            f"This desk says it saw version {base_version} of {what}, newer than the "
            f"server's {version}; its copy did not come from this server. Connect it again."
        )


def stale_fields(
    current: Booking, args: object, base_version: int, previous: Mapping[str, object]
) -> list[str]:
    """Guarded fields the intent writes that changed since the desk last saw the booking.

    A re-arrangement is judged whole, by ``rearranged``.
    """
    if base_version >= current.version:
        return []
    return kernel.stale_fields(current, previous, written_fields(args))


def _stale_move(
    current: Booking, args: i.RearrangeArgs, previous: Mapping[str, object]
) -> list[str]:
    """A plan is stale for a booking whose tables are no longer those it saw: on the
    server, since the desk's base version; on the desk, since the plan was proposed.
    A plan that does not say what it saw is judged by its base version alone. The
    desk's own earlier changes, judged first, leave the tables as it saw them."""
    move = next((mv for mv in args.moves if str(mv.booking_id) == current.id), None)
    if move is None:
        return []
    seen = previous.get("moves")
    saw = next(
        (
            {"table_ids": s.get("table_ids")}
            for s in (seen if isinstance(seen, list) else [])
            if isinstance(s, Mapping) and str(s.get("booking_id")) == current.id
        ),
        None,
    )
    if saw is None:
        return [] if move.base_version >= current.version else ["table_ids"]
    return kernel.stale_fields(current, saw, {"table_ids"})


# Why a whole re-arrangement moves nothing, in every side's words.
PLAN_CLASH = (
    "This re-arrangement would put two bookings on one table at the same time; nothing was moved."
)


def rearranged(
    j: Judging, befores: Sequence[Booking], args: i.RearrangeArgs, previous: Mapping[str, object]
) -> list[Booking]:
    """The bookings a re-arrangement leaves, in the order of ``befores`` (every booking
    it moves, as each is now), or a DomainError for the whole plan: nothing moves if
    any of them changed since the plan was made (``_stale_move``), cannot move, or two
    would share a table. The server adds only the bookings outside the plan."""
    afters = []
    for before in befores:
        move = next((mv for mv in args.moves if str(mv.booking_id) == before.id), None)
        if move is None:
            raise DomainError(
                f"Booking {format_reference(before.reference)} is not in this re-arrangement."
            )
        check_seen(
            move.base_version, before.version, f"booking {format_reference(before.reference)}"
        )
        if _stale_move(before, args, previous):
            raise DomainError(
                f"Booking {format_reference(before.reference)} changed after this plan was made; "
                "nothing was moved. Re-arrange again."
            )
        afters.append(booking_after(j, before, args))
    if share_a_table(afters):
        raise DomainError(PLAN_CLASH)
    return afters


# --- the booking an intent leaves --------------------------------------------------


# The booking fields a create intent names as they are (pydantic works out a class's
# model_fields anew each time it is asked, so the names are found once).
_ASKED = tuple(n for n in BOOKING_FIELDS if n in i.CreateBookingArgs.model_fields)


def proposed_booking(
    args: i.CreateBookingArgs, booking_id: str, venue_id: str, at: datetime
) -> Booking:
    """The booking a create intent asks for, before the venue's rules are applied."""
    asked = {n: getattr(args, n) for n in _ASKED}
    return Booking(
        **{
            **asked,
            "id": booking_id,
            "venue_id": venue_id,
            "customer_id": str(args.customer.id),
            "table_ids": tuple(str(t) for t in args.table_ids),
            "created_at": at,
            "updated_at": at,
        }
    )


def asking_for(booking: Booking) -> dict[str, Any]:
    """The fields a create intent names to ask for ``booking`` as it stands (the inverse
    of ``proposed_booking``, for a booking made again: app.services.lost_bookings)."""
    return {n: getattr(booking, n) for n in _ASKED}


def created(
    j: Judging,
    args: i.CreateBookingArgs,
    booking_id: str,
    venue_id: str,
    *,
    kept_in_conflict: bool = False,
) -> Booking:
    """The booking a create intent makes (``kept_in_conflict``: its tables cannot seat it)."""
    known = j.vip_of(str(args.customer.id))
    vip = args.customer.vip if known is None else known
    make = kernel.create_in_conflict if kept_in_conflict else kernel.create
    return make(j.rules, proposed_booking(args, booking_id, venue_id, j.at), vip=vip, at=j.at)


def booking_after(
    j: Judging,
    before: Booking,
    args: BookingArgs,
    *,
    base_version: int | None = None,
    previous: Mapping[str, object] | None = None,
) -> Booking:
    """The booking ``before`` as an intent with ``args`` leaves it, or a DomainError.

    ``base_version`` and ``previous`` are what the desk had seen (by default: the
    booking as it is now). A re-arrangement changes only the booking it names.
    """
    rules, at = j.rules, j.at
    stale = base_version is not None and base_version < before.version
    match args:
        case i.MoveBookingArgs():
            return kernel.move(
                rules,
                before,
                table_ids=tuple(str(t) for t in args.table_ids),
                start=args.start,
                duration_minutes=args.duration_minutes,
                at=at,
            )
        case i.EditDetailsArgs():
            return kernel.edit_details(
                rules,
                before,
                vip=bool(j.vip_of(before.customer_id)),
                at=at,
                party_size=args.party_size,
                special_requests=args.special_requests,
                occasion=args.occasion,
                notes=args.notes,
                priority_score=args.priority_score,
                package_id=args.package_id,
                seen=dict(previous or {}) if stale else None,
                signature=j.signature,
            )
        case i.SetStatusArgs():
            tables = None if args.table_ids is None else tuple(str(t) for t in args.table_ids)
            return kernel.set_status(
                rules, before, args.status, at=at, table_ids=tables, left_at=args.left_at
            )
        case i.CancelArgs():
            return kernel.cancel(rules, before, at=at)
        case i.UndoCancelArgs():
            return kernel.undo_cancel(
                rules,
                before,
                status=args.status,
                table_ids=tuple(str(t) for t in args.table_ids),
                cancelled_version=j.cancel_version_of(str(args.cancel_id)),
                at=at,
            )
        case i.RearrangeArgs():
            for move in args.moves:
                if str(move.booking_id) == before.id:
                    tables = tuple(str(t) for t in move.table_ids)
                    return kernel.rearranged(rules, before, tables, at=at)
            return before
        case i.ResolveConflictArgs():
            return _resolved(j, before, args)
        case i.RecordSpendArgs():
            return kernel.spent(before, args.spend_pence, at=at)
        case RecordDepositPaymentArgs() | WaiveDepositArgs():
            return settled(j, before, args)
        case RequestDepositArgs():
            return kernel.requested(before, at=at)
        case ResendDepositLinkArgs():
            # Changes nothing of the booking; where the side knows its links, only a
            # live one may be sent again (a desk replaying its queue does not know).
            if j.link_of is not None:
                check_resend(before, j.link_of(before.id), at)
            return before
        case ClaimDepositArgs():
            return kernel.claim_asked(
                before,
                amount_pence=args.amount_pence,
                currency=args.currency,
                policy=j.policy_for(before),
                hold=j.link_of(before.id) if j.link_of is not None else None,
                at=at,
            )
        case RefundDepositArgs():
            return kernel.refund_asked(
                before,
                amount_pence=args.amount_pence,
                currency=args.currency,
                refundable=j.refundable_of(before.id),
            )
        case GiveBackDepositArgs():
            return kernel.given_back(
                before,
                amount_pence=args.amount_pence,
                currency=args.currency,
                held=j.held_of(before.id),
                at=at,
            )
    raise DomainError("That intent does not change a booking.")


def settled(
    j: Judging, before: Booking, args: RecordDepositPaymentArgs | WaiveDepositArgs
) -> Booking:
    """A deposit paid at the bar or waived by a manager (app.domain.kernel.deposits)."""
    if isinstance(args, RecordDepositPaymentArgs):
        return kernel.paid_in_person(
            before, amount_pence=args.amount_pence, currency=args.currency, at=j.at
        )
    return kernel.waived(before, reason=args.reason, at=j.at)


def intent_after(j: Judging, before: Booking, m: i.AnyMutation) -> Booking:
    """``booking_after`` for a whole intent as sent (its base version and ``previous``)."""
    if isinstance(m, i.EraseGuest):
        return erased_booking(before)
    if not isinstance(m.args, BookingArgs):
        raise DomainError(f"A {m.name} intent does not change a booking.")
    return booking_after(j, before, m.args, base_version=m.base_version, previous=m.previous)


def _resolved(j: Judging, before: Booking, a: i.ResolveConflictArgs) -> Booking:
    facts = j.conflict_of(str(a.conflict_id))
    if facts is None:
        raise UnknownConflict(f"There is no conflict {a.conflict_id} in this venue.")
    check_allowed(facts.kind, a.resolution)
    check_not_cancelled(before, a.resolution)
    if facts.kind is ConflictKind.STALE_EDIT and a.resolution is Resolution.KEEP_MINE:
        refused = facts.refused_args
        if not isinstance(refused, BookingArgs):
            raise DomainError("This conflict does not record the change to keep; keep theirs.")
        # The refused change, applied over what is there now as if it had been seen.
        return booking_after(j, before, refused)
    tables = None if a.table_ids is None else tuple(str(t) for t in a.table_ids)
    return kernel.resolve(
        j.rules,
        before,
        facts.kind,
        a.resolution,
        wanted_status=facts.wanted_status,
        at=j.at,
        table_ids=tables,
        start=a.start,
    )


def booking_ids(m: i.AnyMutation) -> list[str]:
    """The bookings an intent changes."""
    if isinstance(m, i.Rearrange):
        return [str(move.booking_id) for move in m.args.moves]
    if isinstance(
        m,
        i.CreateBooking
        | i.MoveBooking
        | i.EditDetails
        | i.SetStatus
        | i.Cancel
        | i.UndoCancel
        | i.RecordSpend,
    ):
        return [str(m.entity_id)]
    if isinstance(m, i.DepositIntent):
        return [str(m.entity_id)]
    if isinstance(m, i.EraseGuest):
        return [str(b) for b in m.args.booking_ids]
    return []


# --- guests ------------------------------------------------------------------------


def customer_after(
    existing: Customer | None, m: i.AnyMutation, j: Judging, *, stale: bool = False
) -> Customer | None:
    """The guest an intent leaves (None: it does not touch guests). ``stale``: the guest
    changed since the desk saw them, so notes it wrote over are merged."""
    match m:
        case i.CreateBooking(args=a):
            return booked_customer(existing, customer_of(a.customer))
        case i.UpsertCustomer(args=a):
            seen = m.previous.get("notes") if stale else None
            return upserted_customer(
                existing, customer_of(a), seen_notes=seen, signature=j.signature
            )
        case i.EraseGuest():
            return erased_customer(existing) if existing is not None else None
    return None


# --- the floor plan ----------------------------------------------------------------


def floor_fields(m: i.FloorIntent) -> dict[str, Any]:
    """A floor-plan row's own fields as the intent sets them (last writer wins)."""
    # A field left out (None) is one an older desk did not know: it stays as it is.
    fields = m.args.model_dump(mode="json", exclude_none=True)
    if isinstance(m, i.UpdateCombination):
        fields["table_ids"] = sorted(set(fields["table_ids"]))
    return fields


def staff_fields(m: i.UpdateStaff) -> dict[str, Any]:
    """A staff row's fields as the intent sets them; a PIN hash only when it was set."""
    return m.args.model_dump(mode="json", exclude_none=True)


def policy_after(args: i.SetDepositPolicyArgs, current: DepositPolicy) -> DepositPolicy:
    """The venue's deposits and packages once ``set_deposit_policy`` is applied over
    ``current`` (the version in force), or a DomainError saying why not."""
    return next_policy(current, args.terms, args.policy_version)


# --- guest messages ----------------------------------------------------------------


def sms_to_send(args: SendSmsArgs) -> str:
    """The words a ``send_sms`` sends (trimmed), or an InvalidInput saying why they cannot
    go as one SMS."""
    return check_custom_sms(args.text)


def may_resend(status: str) -> None:
    """A ``resend_message`` of a message in ``status`` (only a failed one may go again)."""
    check_resendable(status)


def writes_words(args: object) -> bool:
    """Whether an intent on a booking already made writes words about it or its guest
    (notes, requests, an occasion, a deposit's note or reason, a text to them): none may
    be written onto the booking of a guest who asked to be forgotten."""
    match args:
        case i.EditDetailsArgs():
            return any((args.special_requests, args.occasion, args.notes))
        case RecordDepositPaymentArgs():
            return bool(args.note)
        case WaiveDepositArgs() | RefundDepositArgs() | GiveBackDepositArgs():
            return bool(args.reason)
        case SendSmsArgs():
            return True
    return False


# --- who may ------------------------------------------------------------------------


def required_actions(
    args: object, before: Booking | None, *, new_vip: bool = False, own_pin: bool = False
) -> list[Action]:
    """What the staff member behind an intent with ``args`` must be allowed to do.

    ``new_vip``: the intent makes a guest a VIP who was not one. ``own_pin``: a staff
    intent that only sets the acting person's own PIN (app.domain.staff.only_own_pin).
    """
    actions: list[Action]
    match args:
        case i.CreateBookingArgs():
            making = {S.WAITLISTED: Action.ADD_TO_WAITLIST, S.SEATED: Action.WALK_IN}
            actions = [making.get(args.status, Action.CREATE_BOOKING)]
            if args.recorded_past:
                actions.append(Action.RECORD_PAST_BOOKING)
        case i.MoveBookingArgs() | i.RearrangeArgs():
            actions = [Action.MOVE]
        case i.EditDetailsArgs():
            actions = [Action.EDIT_DETAILS]
        case i.RecordSpendArgs():
            actions = [Action.RECORD_SPEND]
        case i.SetStatusArgs():
            current = before.status if before is not None else None
            actions = [status_action(current, args.status)]
        case i.CancelArgs() | i.UndoCancelArgs():
            # Whoever may cancel may take their cancel back.
            actions = [Action.CANCEL]
        case i.ResolveConflictArgs():
            actions = [resolution_action(args.resolution)]
        case i.CustomerData():
            actions = [Action.CREATE_BOOKING]
        case i.UpdateStaffArgs():
            actions = [] if own_pin else [Action.MANAGE_STAFF]
        case RecordDepositPaymentArgs():
            actions = [Action.TAKE_DEPOSIT]
        case WaiveDepositArgs():
            actions = [Action.WAIVE_DEPOSIT]
        case RequestDepositArgs():
            actions = [Action.REQUEST_DEPOSIT]
        case ResendDepositLinkArgs():
            actions = [Action.RESEND_DEPOSIT_LINK]
        case ClaimDepositArgs():
            actions = [Action.CLAIM_DEPOSIT]
        case RefundDepositArgs() | GiveBackDepositArgs():
            # Money going back to a guest, through Stripe or another way: a manager's.
            actions = [Action.REFUND_DEPOSIT]
        case SendSmsArgs():
            actions = [Action.TEXT_GUEST]
        case ResendMessageArgs():
            actions = [Action.RESEND_MESSAGE]
        case i.EraseGuestArgs():
            actions = [Action.ANSWER_DATA_REQUEST]
        case i.SetDepositPolicyArgs():
            actions = [Action.SET_PRICES]
        case i.SettleRefusalArgs():
            # Saying a refusal was dealt with changes no booking: anyone may.
            actions = []
        case _:
            actions = [Action.EDIT_FLOOR_PLAN]
    return [*actions, Action.FLAG_VIP] if new_vip else actions


def parse(body: Mapping[str, Any] | str | bytes) -> i.AnyMutation:
    """An intent from its stored or sent JSON (older schema versions upgraded)."""
    if isinstance(body, str | bytes):
        return _MUTATION.validate_json(body)
    return _MUTATION.validate_python(body)


def signature(venue: Venue, staff_name: str, at: datetime) -> str:
    """How merged free text is signed: who wrote it, and when in the venue's time."""
    return f"{staff_name}, {venue.local(at):%d %b %H:%M}"
