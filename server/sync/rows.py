"""Rows as a desk mirrors them (the ``*Row`` models of the protocol)."""

from __future__ import annotations

from typing import Any

from app import protocol as p
from app.protocol.rows import (
    DepositPolicyRow,
    DepositRequestRow,
    LedgerRow,
    MessageReplyRow,
    MessageRow,
)
from server.auth.models import StaffMember
from server.messages.models import InboundSms, OutboxMessage
from server.payments.models import DepositRequest
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import Booking, Conflict, Customer, Refusal
from server.venues.models import Area, Combination, DepositPolicyVersion, DiningTable

ENTITIES: tuple[tuple[p.EntityKind, type[Any], type[p.Row]], ...] = (
    (p.EntityKind.DEPOSIT_POLICY, DepositPolicyVersion, DepositPolicyRow),
    (p.EntityKind.AREA, Area, p.AreaRow),
    (p.EntityKind.TABLE, DiningTable, p.TableRow),
    (p.EntityKind.COMBINATION, Combination, p.CombinationRow),
    (p.EntityKind.STAFF, StaffMember, p.StaffRow),
    (p.EntityKind.CUSTOMER, Customer, p.CustomerRow),
    (p.EntityKind.BOOKING, Booking, p.BookingRow),
    (p.EntityKind.REFUSAL, Refusal, p.RefusalRow),
    # After the bookings: a desk that pulls a page has the booking before its entries.
    (p.EntityKind.LEDGER, DepositLedgerEntry, LedgerRow),
    (p.EntityKind.DEPOSIT_REQUEST, DepositRequest, DepositRequestRow),
    (p.EntityKind.MESSAGE, OutboxMessage, MessageRow),
    (p.EntityKind.MESSAGE_REPLY, InboundSms, MessageReplyRow),
)


def change(kind: p.EntityKind, model: type[p.Row], row: Any) -> p.Change:
    data = model.model_validate(row, from_attributes=True).model_dump(mode="json")
    return p.Change(entity=kind, id=row.id, version=row.version, data=data)


def conflict_record(conflict: Conflict) -> p.ConflictRecord:
    return p.ConflictRecord(
        id=conflict.id,
        kind=p.ConflictKind(conflict.kind),
        state=p.ConflictState(conflict.state),
        booking_id=conflict.booking_id,
        other_booking_id=conflict.other_booking_id,
        detail=conflict.detail,
        device_id=conflict.device_id,
        staff_name=conflict.staff_name,
        created_at=conflict.created_at,
        resolved_at=conflict.resolved_at,
        resolution=p.Resolution(conflict.resolution) if conflict.resolution else None,
        allowed=[p.Resolution(r) for r in conflict.allowed],
        version=conflict.version,
    )
